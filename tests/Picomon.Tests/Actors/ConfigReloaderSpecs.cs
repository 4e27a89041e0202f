using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class ConfigReloaderSpecs : ActorSpec, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"picomon-reload-{Guid.NewGuid():N}.conf");
    private readonly TestProbe _checks, _aggregator, _notifier, _mailer, _reporter, _signals;
    private readonly IActorRef _reloader;

    public ConfigReloaderSpecs(ITestOutputHelper output) : base(output)
    {
        File.WriteAllText(_file, """
            picomon.emails.to = ["ops@example.org"]
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 22 } ]
            """);
        var initial = ConfigLoader.Load(_file);
        (_checks, _aggregator, _notifier, _mailer, _reporter, _signals) =
            (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        _reloader = Sys.ActorOf(ConfigReloader.Props(() => ConfigLoader.Load(_file), initial,
            new ConfigReloader.Targets(_checks, _aggregator, _notifier, _mailer, _reporter, _signals)));
    }

    public new void Dispose()
    {
        File.Delete(_file);
        base.Dispose();
    }

    [Fact]
    public async Task An_invalid_file_logs_every_problem_and_changes_nothing()
    {
        await File.WriteAllTextAsync(_file, "picomon.base-tik = 5s\npicomon.default-retry = -2\n");

        await EventFilter.Error(contains: "still running the previous one").ExpectOneAsync(async () =>
            await EventFilter.Error(contains: "picomon: config error:").ExpectAsync(2, () =>
            {
                _reloader.Tell(ConfigReloader.ReloadRequested.Instance);
                return Task.CompletedTask;
            }));

        foreach (var target in new[] { _checks, _aggregator, _notifier, _mailer, _reporter, _signals })
            await target.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_valid_file_reconfigures_checks_notifications_mail_reports_dumps_and_forgets_removed_checks()
    {
        await File.WriteAllTextAsync(_file, """
            picomon.emails { to = ["other@example.org"], report.every = 1h }
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 25 } ]
            """);

        _reloader.Tell(ConfigReloader.ReloadRequested.Instance);

        var reconfigure = await _checks.ExpectMsgAsync<ChecksSupervisor.Reconfigure>();
        Assert.Equal("tcp4/127.0.0.1", Assert.Single(reconfigure.Checks).Id);
        Assert.Equal(["tcp4/127.0.0.1"], (await _aggregator.ExpectMsgAsync<StateAggregator.Retain>()).Ids);
        var notify = (await _notifier.ExpectMsgAsync<Notifier.Reconfigure>()).Settings.Notify;
        Assert.Equal(["other@example.org"], Assert.IsType<MailChannelSettings>(Assert.Single(notify.Channels)).To);
        Assert.Equal(["other@example.org"], (await _mailer.ExpectMsgAsync<Mailer.UpdateSettings>()).Settings.To);
        Assert.Equal(TimeSpan.FromHours(1), (await _reporter.ExpectMsgAsync<Reporter.UpdateSettings>()).Emails.ReportEvery);
        await _signals.ExpectMsgAsync<SignalListener.UpdateChecks>();
        await EventFilter.Info(contains: "1 changed").ExpectOneAsync(() =>
        {
            _checks.Reply(new ChecksSupervisor.Reconfigured(0, 1, 0, 0));
            return Task.CompletedTask;
        });
    }
}
