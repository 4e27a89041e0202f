using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.Configuration;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

public sealed class ChecksSupervisorSpecs : ActorSpec
{
    private readonly Dictionary<string, ControllableProbe> _probes = [];
    private readonly TestProbe _aggregator;
    private readonly DateTimeOffset _t0;

    public ChecksSupervisorSpecs(ITestOutputHelper output) : base(output)
    {
        _aggregator = CreateTestProbe("aggregator");
        _t0 = Clock.Now;
    }

    private ControllableProbe ProbeFor(CheckDefinition check) => _probes[check.Id] = new ControllableProbe();

    private static CheckDefinition[] Checks(int count) =>
        Enumerable.Range(0, count).Select(i => ActorTestChecks.Check($"test/host-{i}", retry: 0)).ToArray();

    /// <summary>Starts the supervisor and answers every check's state request with "unknown", so every
    /// check has armed its first run before the test advances the clock.</summary>
    private async Task<(IActorRef Supervisor, IActorRef[] Children)> StartAsync(CheckDefinition[] checks, IActorRef aggregator)
    {
        var supervisor = Sys.ActorOf(ChecksSupervisor.Props(checks, ProbeFor, aggregator, Tick), "checks");
        if (aggregator.Equals(_aggregator))
            for (var i = 0; i < checks.Length; i++)
                _aggregator.Reply(new CheckStatusReply((await _aggregator.ExpectMsgAsync<GetCheckStatus>()).Id, null));
        await supervisor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60)); // its children exist
        var children = new IActorRef[checks.Length];
        for (var i = 0; i < checks.Length; i++)
            children[i] = await ChildAsync(supervisor, checks[i]);
        return (supervisor, children);
    }

    private async Task<IActorRef> ChildAsync(IActorRef supervisor, CheckDefinition check) =>
        await ChildOrNullAsync(supervisor, check) ?? throw new InvalidOperationException($"no actor for {check.Id}");

    private async Task<IActorRef?> ChildOrNullAsync(IActorRef supervisor, CheckDefinition check) =>
        (await Sys.ActorSelection(supervisor.Path / CheckActor.ActorName(check.Id))
            .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60))).Subject;

    /// <summary>Kills a check actor and waits until the supervisor has armed its restart.</summary>
    private async Task CrashAsync(IActorRef child) =>
        await EventFilter.Warning(contains: "restarting it in").ExpectOneAsync(() =>
        {
            child.Tell(Kill.Instance);
            return Task.CompletedTask;
        });

    /// <summary>Crashes the check and proves it is re-created after exactly <paramref name="delay"/> (virtual
    /// time), answering its state request; returns the new actor.</summary>
    private async Task<IActorRef> CrashAndRestartAfterAsync(IActorRef supervisor, IActorRef child, CheckDefinition check, TimeSpan delay)
    {
        await CrashAsync(child);
        await AdvanceAsync(delay - TimeSpan.FromMilliseconds(1), supervisor);
        Assert.Null(await ChildOrNullAsync(supervisor, check));
        await AdvanceAsync(TimeSpan.FromMilliseconds(1), supervisor);
        Assert.Equal(check.Id, (await _aggregator.ExpectMsgAsync<GetCheckStatus>()).Id);
        _aggregator.Reply(new CheckStatusReply(check.Id, null));
        return await ChildAsync(supervisor, check);
    }

    private async Task<CheckRan> CompleteNextRunAsync(CheckDefinition check, bool success = true)
    {
        var run = await _probes[check.Id].NextRunAsync();
        if (success) run.Succeed(); else run.Fail("down");
        while (true)
            if (await _aggregator.ExpectMsgAsync<object>(TimeSpan.FromSeconds(60)) is CheckRan ran)
                return ran;
    }

    [Fact]
    public async Task Spreads_first_runs_evenly_over_the_first_base_tick()
    {
        var checks = Checks(4);
        var (_, children) = await StartAsync(checks, _aggregator);

        var starts = new List<DateTimeOffset> { (await CompleteNextRunAsync(checks[0])).StartedAt };
        for (var i = 1; i < checks.Length; i++)
        {
            await AdvanceAsync(Tick / 4, children);
            starts.Add((await CompleteNextRunAsync(checks[i])).StartedAt);
        }

        Assert.Equal(Enumerable.Range(0, 4).Select(i => _t0 + TimeSpan.FromSeconds(15 * i)), starts);
    }

    [Fact]
    public async Task A_reload_keeps_unchanged_checks_restarts_changed_ones_starts_new_ones_and_stops_removed_ones()
    {
        var checks = Checks(3);
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        var changed = checks[1] with { Every = 2 };
        var added = ActorTestChecks.Check("test/new", retry: 0);

        var reply = await supervisor.Ask<ChecksSupervisor.Reconfigured>(
            new ChecksSupervisor.Reconfigure([checks[0] with { }, changed, added], Tick), TimeSpan.FromSeconds(60));

        Assert.Equal(new ChecksSupervisor.Reconfigured(Unchanged: 1, Changed: 1, Added: 1, Removed: 1), reply);
        // The restarted and the new check each ask for their state: the changed one resumes where it was.
        var asked = new[] { await _aggregator.ExpectMsgAsync<GetCheckStatus>(), await _aggregator.ExpectMsgAsync<GetCheckStatus>() };
        Assert.Equal([changed.Id, added.Id], asked.Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.Equal(children[0], await ChildAsync(supervisor, checks[0]));
        Assert.NotEqual(children[1], await ChildAsync(supervisor, changed));
        await AwaitAssertAsync(async () =>
            Assert.Null((await Sys.ActorSelection(supervisor.Path / CheckActor.ActorName(checks[2].Id))
                .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60))).Subject));
    }

    [Fact]
    public async Task A_reload_with_a_new_base_tick_restarts_every_check()
    {
        var checks = Checks(2);
        var (supervisor, _) = await StartAsync(checks, _aggregator);

        var reply = await supervisor.Ask<ChecksSupervisor.Reconfigured>(
            new ChecksSupervisor.Reconfigure(checks, Tick * 2), TimeSpan.FromSeconds(60));

        Assert.Equal(new ChecksSupervisor.Reconfigured(0, 2, 0, 0), reply);
    }

    [Fact]
    public async Task Restarts_a_crashing_check_alone_after_a_delay_doubling_up_to_a_minute_then_starting_over()
    {
        var checks = Checks(2);
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        await CompleteNextRunAsync(checks[0]);
        await AdvanceAsync(Tick / 2, children);
        await CompleteNextRunAsync(checks[1]);

        // A check that crashes as soon as it runs again: 1 s, 2 s, 4 s… 60 s, never a tight loop.
        var child = children[0];
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 32, 60, 60 })
            child = await CrashAndRestartAfterAsync(supervisor, child, checks[0], TimeSpan.FromSeconds(seconds));
        Assert.Equal(_t0 + Tick / 2 + TimeSpan.FromSeconds(183), (await CompleteNextRunAsync(checks[0])).StartedAt);

        // Once it has run for a while, a crash waits the shortest delay again.
        await AdvanceAsync(RestartBackoff.Reset, supervisor);
        await CrashAndRestartAfterAsync(supervisor, child, checks[0], RestartBackoff.Min);

        // The other check was never restarted (it would have asked for its state) and still runs on its grid.
        Assert.Equal(children[1], await ChildAsync(supervisor, checks[1]));
        await CompleteNextRunAsync(checks[1]);
        await AdvanceToAsync(_t0 + Tick / 2 + 6 * Tick, children[1]);
        Assert.Equal(_t0 + Tick / 2 + 6 * Tick, (await CompleteNextRunAsync(checks[1])).StartedAt);
    }

    [Fact]
    public async Task A_check_removed_while_waiting_for_its_restart_is_not_restarted()
    {
        var checks = Checks(2);
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        await CrashAsync(children[0]);

        var reply = await supervisor.Ask<ChecksSupervisor.Reconfigured>(
            new ChecksSupervisor.Reconfigure([checks[1]], Tick), TimeSpan.FromSeconds(60));
        await AdvanceAsync(RestartBackoff.Max, supervisor);

        Assert.Equal(new ChecksSupervisor.Reconfigured(Unchanged: 1, Changed: 0, Added: 0, Removed: 1), reply);
        Assert.Null(await ChildOrNullAsync(supervisor, checks[0]));
        Assert.Equal(1, _probes[checks[0].Id].StartedCount);
    }

    [Fact]
    public async Task A_restarted_check_in_error_stays_in_error_without_a_second_problem()
    {
        var notifier = CreateTestProbe("notifier");
        var store = new MemoryStateStore();
        var aggregator = Sys.ActorOf(StateAggregator.Props(store, notifier), "aggregator");
        var check = Checks(1)[0];
        var (supervisor, children) = await StartAsync([check], aggregator);
        (await _probes[check.Id].NextRunAsync()).Fail("Connection refused");
        var problem = await NotifiedAsync(notifier);
        Assert.Equal((NotificationKind.Problem, $"{check.Id}#1"), (problem.Kind, problem.Incident));

        await CrashAsync(children[0]);
        await EventFilter.Debug(contains: "failed (Error, 2 in a row)").ExpectOneAsync(async () =>
        {
            await AdvanceAsync(RestartBackoff.Min, supervisor);
            (await _probes[check.Id].NextRunAsync()).Fail("Connection refused");
        });
        await AdvanceAsync(Tick, await ChildAsync(supervisor, check));
        (await _probes[check.Id].NextRunAsync()).Succeed();

        // One Problem only, and the OK closes its incident: the restarted check resumed in error.
        var recovery = await NotifiedAsync(notifier);
        Assert.Equal((NotificationKind.Ok, problem.Incident), (recovery.Kind, recovery.Incident));
        Assert.Equal(2, store.LoadPending().Count);
    }

    private static async Task<Notification> NotifiedAsync(TestProbe notifier) =>
        Assert.Single((await notifier.ExpectMsgAsync<Notifier.Queued>()).Notifications).Notification;

    [Fact]
    public async Task Run_all_now_runs_every_check_now()
    {
        var checks = Checks(2);
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        await CompleteNextRunAsync(checks[0]);
        await AdvanceAsync(Tick / 2, children);
        await CompleteNextRunAsync(checks[1]);
        await AdvanceAsync(TimeSpan.FromSeconds(10), children);

        supervisor.Tell(ChecksSupervisor.RunAllNow.Instance);

        foreach (var check in checks)
            Assert.Equal(_t0 + TimeSpan.FromSeconds(40), (await CompleteNextRunAsync(check)).StartedAt);
    }

    [Fact]
    public async Task Stop_checks_replies_once_every_in_flight_run_has_finished()
    {
        var checks = Checks(2);
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        var first = await _probes[checks[0].Id].NextRunAsync();
        await AdvanceAsync(Tick / 2, children);
        var second = await _probes[checks[1].Id].NextRunAsync();
        foreach (var child in children) Watch(child);

        supervisor.Tell(ChecksSupervisor.StopChecks.Instance);
        first.Succeed();
        await ExpectTerminatedAsync(children[0]);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        second.Fail("down");

        var last = await ReceiveNAsync(2).ToListAsync();
        Assert.Contains(last, m => m is ChecksSupervisor.ChecksStopped);
        Assert.Contains(last, m => m is Terminated t && t.ActorRef.Equals(children[1]));
        // Both runs were reported; nothing new started.
        Assert.Equal(2, (await _aggregator.ReceiveNAsync(3).ToListAsync()).OfType<CheckRan>().Count());
        Assert.All(_probes.Values, p => Assert.Equal(1, p.StartedCount));
    }

    [Fact]
    public async Task Stop_checks_with_nothing_in_flight_replies_at_once_and_no_run_starts_afterwards()
    {
        var checks = Checks(2);
        var (supervisor, _) = await StartAsync(checks, _aggregator);
        await CompleteNextRunAsync(checks[0]);

        supervisor.Tell(ChecksSupervisor.StopChecks.Instance);
        await ExpectMsgAsync<ChecksSupervisor.ChecksStopped>();
        supervisor.Tell(ChecksSupervisor.RunAllNow.Instance);
        await AdvanceAsync(Tick, supervisor);

        foreach (var check in checks)
        {
            var identity = await Sys.ActorSelection(supervisor.Path / CheckActor.ActorName(check.Id))
                .Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(60));
            Assert.Null(identity.Subject);
        }
        Assert.Equal([1, 0], checks.Select(c => _probes[c.Id].StartedCount));
    }

    [Fact]
    public async Task Stop_checks_without_checks_replies_at_once()
    {
        var (supervisor, _) = await StartAsync([], _aggregator);
        supervisor.Tell(ChecksSupervisor.StopChecks.Instance);
        await ExpectMsgAsync<ChecksSupervisor.ChecksStopped>();
    }

    [Fact]
    public async Task Run_matching_now_runs_only_the_matching_checks_and_says_how_many()
    {
        var checks = new[] { ActorTestChecks.Check("http4/web", retry: 0), ActorTestChecks.Check("http4/db", retry: 0), ActorTestChecks.Check("ping4/web", retry: 0) };
        var (supervisor, children) = await StartAsync(checks, _aggregator);
        foreach (var check in checks)
        {
            await CompleteNextRunAsync(check);
            await AdvanceAsync(check == checks[^1] ? TimeSpan.FromSeconds(10) : Tick / 3, children);
        }

        var started = await supervisor.Ask<ChecksSupervisor.RunMatchingStarted>(
            new ChecksSupervisor.RunMatchingNow(CheckPatterns.Parse(["*/web"], out _)!), TimeSpan.FromSeconds(10));

        Assert.Equal(2, started.Matched);
        // Not due before t0 + 60 s: these runs are the ones asked for.
        Assert.Equal(_t0 + TimeSpan.FromSeconds(50), (await CompleteNextRunAsync(checks[0])).StartedAt);
        Assert.Equal(_t0 + TimeSpan.FromSeconds(50), (await CompleteNextRunAsync(checks[2])).StartedAt);
        Assert.Equal(1, _probes[checks[1].Id].StartedCount);
        var none = await supervisor.Ask<ChecksSupervisor.RunMatchingStarted>(
            new ChecksSupervisor.RunMatchingNow(CheckPatterns.Parse(["smtp4/*"], out _)!), TimeSpan.FromSeconds(10));
        Assert.Equal(0, none.Matched);
    }
}
