using Akka.Actor;
using Akka.Configuration;
using Picomon.Checks;
using Picomon.Actors;
using Picomon.Cli;
using Picomon.Configuration;
using Picomon.Scheduling;
using Picomon.State;

namespace Picomon.Benchmarks;

/// <summary>The daemon's check pipeline in a process of its own (<c>Picomon.Benchmarks daemon-child CONFIG
/// WARMUP MEASURE</c>): Picomon's configuration loader, <see cref="ChecksSupervisor"/>, check actors, real
/// probes, <see cref="StateAggregator"/>, <see cref="TimerQueueScheduler"/>, GC latency mode and start-up collection, as the daemon starts them,
/// minus the generic host and mail. It hands in its own <see cref="LoadStats"/> to read the lateness of
/// every run, prints <c>MEASURING</c> when the window opens and one <c>RESULT</c> line at its end, with the
/// garbage collections of the window (<see cref="GcWatch"/>); when each numbered HTTP probe started goes to a file
/// (<see cref="StartsPath"/>) before that line.</summary>
public static class DaemonChild
{
    /// <summary>Where the child writes when each probe started (<see cref="ProbeStarts"/>), before its RESULT line.</summary>
    public static string StartsPath(string configPath) => configPath + ".starts";

    public static async Task<int> RunAsync(string configPath, TimeSpan warmup, TimeSpan measure)
    {
        Daemon.PreferShortGcPauses();
        Daemon.CompleteSocketsInline();
        var settings = ConfigLoader.Load(configPath);
        Daemon.CompactStartGarbage();
        var akka = ConfigurationFactory.ParseString($"""
            {TimerQueueScheduler.Hocon}
            {LeanMailbox.Hocon}
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            """);
        using var system = ActorSystem.Create("picomon", akka);
        var load = new LoadStats();
        var aggregator = system.ActorOf(StateAggregator.Props(new MemoryStateStore(), null), "state");
        var starts = new ProbeStarts((int)Math.Ceiling(settings.Checks.Sum(c => (warmup + measure) / c.Interval(settings.BaseTick) + 10)));
        var checks = system.ActorOf(ChecksSupervisor.Props(settings.Checks, c => starts.Wrap(c.Options, c.Type.CreateProbe(c.Options, App.Version)),
            aggregator, settings.BaseTick, load), "checks");
        await checks.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromMinutes(5));
        await Task.Delay(warmup);
        var start = load.Snapshot();
        var gc = GcWatch.Start();
        Console.WriteLine("MEASURING");
        await Task.Delay(measure);
        var w = load.Snapshot().Since(start);
        var pauses = await gc.StopAsync();
        var table = await aggregator.Ask<StateSnapshot>(StateAggregator.GetSnapshot.Instance, TimeSpan.FromMinutes(1));
        var failing = table.Checks.Where(c => c.ConsecutiveFailures > 0).ToList();
        var sample = failing.FirstOrDefault()?.LastMessage.ReplaceLineEndings(" ") ?? "-";
        starts.Write(StartsPath(configPath));
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT {w.Runs} {w.Late} {w.Skipped} {w.P50.TotalMilliseconds} {w.P99.TotalMilliseconds} {w.Max.TotalMilliseconds} {failing.Count} {pauses} {sample}"));
        await system.Terminate();
        return 0;
    }
}

/// <summary>The garbage collections of a window, to tell GC pauses from scheduling lateness: how many of each
/// generation, the total pause, and the longest pause seen (the last GC is polled every 10 ms, so a pause is
/// missed only if two GCs end within 10 ms of each other).</summary>
public sealed class GcWatch
{
    private readonly int[] _counts = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);
    private readonly CancellationTokenSource _stop = new();
    private Task<(TimeSpan Pause, string Kind)> _longest = Task.FromResult((TimeSpan.Zero, "none"));

    public static GcWatch Start()
    {
        var watch = new GcWatch();
        watch._longest = Task.Run(watch.PollAsync);
        return watch;
    }

    private async Task<(TimeSpan, string)> PollAsync()
    {
        var (longest, kind, seen) = (TimeSpan.Zero, "none", GC.GetGCMemoryInfo(GCKind.Any).Index);
        while (!_stop.IsCancellationRequested)
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            if (info.Index != seen)
            {
                seen = info.Index;
                foreach (var pause in info.PauseDurations)
                    if (pause > longest)
                        (longest, kind) = (pause, FormattableString.Invariant(
                            $"gen{info.Generation}{(info.Concurrent ? "-background" : "")}{(info.Compacted ? "-compacting" : "")}-promoting-{info.PromotedBytes / 1048576.0:0.0}MB"));
            }
            try { await Task.Delay(10, _stop.Token); } catch (OperationCanceledException) { break; }
        }
        return (longest, kind);
    }

    /// <summary>Six fields: <c>gen0/gen1/gen2</c> collections, total pause ms, longest pause ms, its kind and
    /// the bytes it promoted (for example <c>gen1-compacting-promoting-2.5MB</c>), heap MB, bytes allocated in the window (all threads).</summary>
    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        var (longest, kind) = await _longest;
        var heap = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes / 1048576.0;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        return FormattableString.Invariant(
            $"{GC.CollectionCount(0) - _counts[0]}/{GC.CollectionCount(1) - _counts[1]}/{GC.CollectionCount(2) - _counts[2]} {(GC.GetTotalPauseDuration() - _paused).TotalMilliseconds:0} {longest.TotalMilliseconds:0} {kind} {heap:0} {allocated}");
    }
}
