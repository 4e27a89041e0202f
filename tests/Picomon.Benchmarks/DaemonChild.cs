using Akka.Actor;
using Akka.Configuration;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Scheduling;

namespace Picomon.Benchmarks;

/// <summary>The daemon's check pipeline in a process of its own (<c>Picomon.Benchmarks daemon-child CONFIG
/// WARMUP MEASURE</c>): Picomon's configuration loader, <see cref="ChecksSupervisor"/>, check actors, real
/// probes, <see cref="StateAggregator"/> and <see cref="TimerQueueScheduler"/>, as the daemon starts them,
/// minus the generic host and mail. It hands in its own <see cref="LoadStats"/> to read the lateness of
/// every run, prints <c>MEASURING</c> when the window opens and one <c>RESULT</c> line at its end.</summary>
public static class DaemonChild
{
    public static async Task<int> RunAsync(string configPath, TimeSpan warmup, TimeSpan measure)
    {
        var settings = ConfigLoader.Load(configPath);
        var akka = ConfigurationFactory.ParseString($"""
            {TimerQueueScheduler.Hocon}
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            """);
        using var system = ActorSystem.Create("picomon", akka);
        var load = new LoadStats();
        var aggregator = system.ActorOf(StateAggregator.Props(null, null), "state");
        var checks = system.ActorOf(ChecksSupervisor.Props(settings.Checks, c => c.Type.CreateProbe(c.Options),
            aggregator, settings.BaseTick, load), "checks");
        await checks.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromMinutes(5));
        await Task.Delay(warmup);
        var start = load.Snapshot();
        Console.WriteLine("MEASURING");
        await Task.Delay(measure);
        var w = load.Snapshot().Since(start);
        var table = await aggregator.Ask<StateSnapshot>(StateAggregator.GetSnapshot.Instance, TimeSpan.FromMinutes(1));
        var failing = table.Checks.Where(c => c.ConsecutiveFailures > 0).ToList();
        var sample = failing.FirstOrDefault()?.LastMessage.ReplaceLineEndings(" ") ?? "-";
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT {w.Runs} {w.Late} {w.Skipped} {w.P50.TotalMilliseconds} {w.P99.TotalMilliseconds} {w.Max.TotalMilliseconds} {failing.Count} {sample}"));
        await system.Terminate();
        return 0;
    }
}
