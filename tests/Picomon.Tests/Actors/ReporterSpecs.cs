using Akka.Actor;
using Akka.TestKit;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Mail;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class ReporterSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    private async Task<(IActorRef Reporter, TestProbe Aggregator, TestProbe Mailer)> StartAsync(TimeSpan every)
    {
        var (aggregator, mailer) = (CreateTestProbe("aggregator"), CreateTestProbe("mailer"));
        var reporter = Sys.ActorOf(Reporter.Props(aggregator, mailer, new MailComposer("mon.example.org"),
            ActorTestChecks.Emails with { ReportEvery = every }, [ActorTestChecks.Check("a"), ActorTestChecks.Check("b")]));
        await reporter.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60));
        return (reporter, aggregator, mailer);
    }

    private StateSnapshot Snapshot(TimeSpan inErrorFor) => new(Clock.Now,
    [
        new CheckState("a", CheckStatus.Error, Clock.Now - inErrorFor, 3, "Connection refused", Clock.Now - inErrorFor, null, null),
        new CheckState("b", CheckStatus.Retrying, Clock.Now, 1, "slow", null, null, null),
    ]);

    [Fact]
    public async Task Every_interval_it_mails_the_checks_in_error_for_longer_than_the_interval()
    {
        var (reporter, aggregator, mailer) = await StartAsync(Every);
        await AdvanceAsync(Every, reporter);
        await aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        aggregator.Reply(Snapshot(Every + TimeSpan.FromSeconds(1)));

        var report = (await mailer.ExpectMsgAsync<Mailer.Send>()).Mail;
        Assert.Equal((MailKind.Report, "[DOMAIN] Picomon error report"), (report.Kind, report.Subject));
        Assert.StartsWith("Following entries have failed for more than 600s:\n", report.Body);
        Assert.Contains("host: a\n", report.Body);
        Assert.Contains("\tConnection refused\n", report.Body);
        Assert.Contains("Check b is retrying\n", report.Body);
    }

    [Fact]
    public async Task Nothing_in_error_longer_than_the_interval_means_no_mail()
    {
        var (reporter, aggregator, mailer) = await StartAsync(Every);
        await AdvanceAsync(Every, reporter);
        await aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        aggregator.Reply(Snapshot(Every - TimeSpan.FromSeconds(1)));

        await mailer.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Asks_once_per_interval_not_before()
    {
        var (reporter, aggregator, _) = await StartAsync(Every);
        await AdvanceAsync(Every - TimeSpan.FromSeconds(1), reporter);
        await aggregator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 3; i++)
        {
            await AdvanceAsync(i == 0 ? TimeSpan.FromSeconds(1) : Every, reporter);
            await aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
        }
    }

    [Fact]
    public async Task An_interval_of_zero_disables_reports_and_a_reload_can_enable_them()
    {
        var (reporter, aggregator, _) = await StartAsync(TimeSpan.Zero);
        await AdvanceAsync(TimeSpan.FromHours(1), reporter);
        await aggregator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));

        reporter.Tell(new Reporter.UpdateSettings(ActorTestChecks.Emails with { ReportEvery = Every }, [ActorTestChecks.Check("a")]));
        await AdvanceAsync(TimeSpan.Zero, reporter); // the update is handled before time moves on
        await AdvanceAsync(Every, reporter);
        await aggregator.ExpectMsgAsync<StateAggregator.GetSnapshot>();
    }
}
