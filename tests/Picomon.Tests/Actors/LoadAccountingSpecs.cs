using Akka.Actor;
using Picomon.Actors;
using Picomon.Scheduling;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;
using static Picomon.Actors.StateAggregator;

namespace Picomon.Tests.Actors;

/// <summary>Back-pressure accounting: check actors count their runs and skips into <see cref="LoadStats"/>, and
/// the supervisor's <see cref="LoadMonitor"/> turns a minute with skips into one WARNING.</summary>
public sealed class LoadAccountingSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    private readonly ControllableProbe _probe = new();
    private readonly LoadStats _load = new();

    private async Task<IActorRef> StartAsync(int every = 1)
    {
        var aggregator = Sys.ActorOf(StateAggregator.Props(new MemoryStateStore(), null));
        var supervisor = Sys.ActorOf(ChecksSupervisor.Props([ActorTestChecks.Check(every: every)], _ => _probe, aggregator, Tick, _load));
        await AwaitConditionAsync(async () =>
            (await aggregator.Ask<CheckStatusReply>(new GetCheckStatus("none"))).Id == "none"
            && (await supervisor.Ask<ActorIdentity>(new Identify(null))).Subject is not null);
        return supervisor;
    }

    [Fact]
    public async Task A_run_in_flight_over_two_due_times_counts_one_start_and_two_skips()
    {
        var supervisor = await StartAsync();
        var run = await _probe.NextRunAsync();
        var child = await Sys.ActorSelection(supervisor.Path / "test%2Fhost").ResolveOne(TimeSpan.FromSeconds(10));

        await AdvanceAsync(Tick, child);
        await AdvanceAsync(Tick, child);
        run.Succeed();

        await AwaitConditionAsync(() => _load.Snapshot().Since(LoadSample.Zero) is { Runs: 1, Skipped: 2, Late: 0 });
    }

    [Fact]
    public async Task The_monitor_warns_once_a_minute_when_runs_were_skipped_and_stays_quiet_otherwise()
    {
        var supervisor = await StartAsync(every: 5); // no due time of the check in the two minutes
        var monitor = await Sys.ActorSelection(supervisor.Path / LoadMonitor.ActorName).ResolveOne(TimeSpan.FromSeconds(10));
        await _probe.NextRunAsync();
        _load.RecordSkipped(3);

        await EventFilter.Warning(contains: "0 of 1 runs started more than 1 s behind schedule, 3 skipped")
            .ExpectOneAsync(() => AdvanceAsync(LoadMonitor.Period, monitor));
        await EventFilter.Warning().ExpectAsync(0, TimeSpan.FromSeconds(3), () => AdvanceAsync(LoadMonitor.Period, monitor));
    }
}
