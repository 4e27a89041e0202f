using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

public sealed class StateAggregatorPersistenceSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly List<CheckState> _saved = [];
    private readonly List<IReadOnlyCollection<string>> _retained = [];

    private (IActorRef Aggregator, TestProbe Mailer) Start(params CheckState[] restored)
    {
        var mailer = CreateTestProbe("mailer");
        var persistence = new Persistence(restored, row => { lock (_saved) _saved.Add(row); }, ids => _retained.Add(ids));
        return (Sys.ActorOf(StateAggregator.Props(mailer, ActorTestChecks.Alerting(Tick), persistence)), mailer);
    }

    private List<CheckState> Saved() { lock (_saved) return [.. _saved]; }

    private static CheckStateChanged Change(string id, CheckStatus from, CheckStatus to, DateTimeOffset at, DateTimeOffset? errorSince) =>
        new(ActorTestChecks.Check(id), from, to, at, "Connection refused", 2, errorSince, Tick);

    private static CheckRan Ran(string id, bool success, CheckStatus status, int failures) =>
        new(id, success, success ? "" : "Connection refused", T, TimeSpan.FromMilliseconds(5), status, failures);

    [Fact]
    public async Task Restored_rows_answer_a_restarting_check()
    {
        var row = new CheckState("a", CheckStatus.Error, T, 3, "down", T, null, null, "<p@x>");
        var (aggregator, _) = Start(row);

        var reply = await aggregator.Ask<CheckStatusReply>(new GetCheckStatus("a"), TimeSpan.FromSeconds(5));

        Assert.Equal(row, reply.State);
    }

    [Fact]
    public async Task A_run_that_changes_nothing_durable_is_not_saved_and_a_failure_is()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        aggregator.Tell(Ran("a", true, CheckStatus.Ok, 0));
        await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));
        Assert.Empty(Saved());

        aggregator.Tell(Ran("a", false, CheckStatus.Retrying, 1));
        await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal((1, "Connection refused"), (Saved().Single().ConsecutiveFailures, Saved().Single().LastMessage));
    }

    [Fact]
    public async Task A_check_entering_error_is_saved_only_once_its_problem_mail_is_queued()
    {
        var (aggregator, mailer) = Start();
        aggregator.Tell(Change("a", CheckStatus.Retrying, CheckStatus.Error, T, T));
        aggregator.Tell(Ran("a", false, CheckStatus.Error, 2));
        var send = await mailer.ExpectMsgAsync<Mailer.Send>();
        Assert.True(send.Acknowledge);
        await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));
        Assert.Empty(Saved());

        mailer.Reply(new Mailer.Queued(send.Mail.MessageId));
        await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));

        var saved = Assert.Single(Saved());
        Assert.Equal((CheckStatus.Error, send.Mail.MessageId), (saved.Status, saved.ProblemMessageId));
    }

    [Fact]
    public async Task A_reload_forgets_removed_checks_in_the_store_too()
    {
        var (aggregator, _) = Start(new CheckState("a", CheckStatus.Ok, T, 0, "", null, null, null),
            new CheckState("b", CheckStatus.Ok, T, 0, "", null, null, null));
        aggregator.Tell(new Retain(["b"]));

        var snapshot = await aggregator.Ask<StateSnapshot>(GetSnapshot.Instance, TimeSpan.FromSeconds(5));

        Assert.Equal(["b"], snapshot.Checks.Select(c => c.Id));
        Assert.Equal(["b"], Assert.Single(_retained));
    }
}
