using Akka.Actor;
using Akka.Event;
using Picomon.Scheduling;

namespace Picomon.Actors;

/// <summary>Makes overload visible (back-pressure, not backlog): once a minute it reads the checks'
/// <see cref="LoadStats"/> and, when runs started more than a second behind schedule or were skipped because
/// the previous run was still in flight, logs one WARNING with the counts and the lateness percentiles;
/// otherwise the same figures at DEBUG.</summary>
public sealed class LoadMonitor : ReceiveActor, IWithTimers
{
    /// <summary>Its name beside the check actors, which are named <c>Uri.EscapeDataString(id)</c>: that turns any
    /// '%' into "%25", so no check can take this name (a check with id "load-monitor" would otherwise).</summary>
    public const string ActorName = "load%2Dmonitor";

    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private sealed class Report : INoSerializationVerificationNeeded
    {
        public static readonly Report Instance = new();
        private Report() { }
    }

    private readonly LoadStats _stats;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LoadSample _last;

    public LoadMonitor(LoadStats stats, LoadSample start)
    {
        (_stats, _last) = (stats, start);
        Receive<Report>(_ => OnReport());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The first minute counts from now, not from whenever the actor happens to start.</summary>
    public static Props Props(LoadStats stats)
    {
        var start = stats.Snapshot();
        return Akka.Actor.Props.Create(() => new LoadMonitor(stats, start));
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("report", Report.Instance, Period);

    private void OnReport()
    {
        var now = _stats.Snapshot();
        var w = now.Since(_last);
        _last = now;
        var lateness = $"lateness p50 {Ms(w.P50)}, p99 {Ms(w.P99)}, max {Ms(w.Max)}";
        if (w.Late > 0 || w.Skipped > 0)
            _log.Warning("Overloaded in the last minute: {0} of {1} runs started more than {2} s behind schedule, "
                + "{3} skipped (previous run still in flight); {4}",
                w.Late, w.Runs, LoadStats.LateThreshold.TotalSeconds, w.Skipped, lateness);
        else
            _log.Debug("Load in the last minute: {0} runs, none late or skipped; {1}", w.Runs, lateness);
    }

    private static string Ms(TimeSpan t) => $"{t.TotalMilliseconds:0.#} ms";
}
