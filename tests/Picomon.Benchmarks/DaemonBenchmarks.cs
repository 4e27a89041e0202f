using System.Globalization;
using Picomon.Scheduling;

namespace Picomon.Benchmarks;

/// <summary>The daemon under load: N checks of one type on a fixed interval, run by <see cref="DaemonChild"/>
/// in its own process (so its CPU and RSS are Picomon's alone; the targets are nginx and this process's
/// listener). Figures over a window that opens one interval after start, once every first run has happened.
/// With an <paramref name="nginx"/> that logs, HTTP checks may ask each for a path of its own and the lateness
/// be measured as nginx saw it too (<see cref="TargetLateness"/>), beside the lateness inside the process.</summary>
public sealed class DaemonBenchmarks(string dir, Results results, Nginx? nginx = null)
{
    /// <param name="atTargetP99">HTTP only: a path per check (one group each), the lateness also measured at
    /// nginx, with this target for its p99.</param>
    public async Task RunAsync(int count, string type, int port, TimeSpan interval, TimeSpan measure, int repeats,
        TimeSpan? p99Target, double? rssTargetMb, TimeSpan? atTargetP99 = null)
    {
        var atTarget = atTargetP99 is not null && nginx is not null && nginx.Port == port;
        var config = Configs.Write(dir, $"daemon-{type}-{count}", interval, [new(count, type, port, UrlPrefix: atTarget ? "/c" : null)]);
        var runs = new List<Measurement>();
        var name = $"Daemon {count:N0} {type.TrimEnd('4').ToUpperInvariant()} checks every {interval.TotalSeconds:0} s";
        for (var i = 0; i < repeats; i++)
        {
            try
            {
                runs.Add(await MeasureOnceAsync(config, interval, measure, atTarget));
            }
            catch (ChildFailedException e)
            {
                // Picomon's pipeline dying under load is a finding, not a broken suite.
                results.Add(new Row($"{name}: run {i + 1}", "FAILED", "no crash", false, e.Message));
            }
        }
        if (runs.Count == 0) return;
        var m = runs.OrderBy(r => r.P99).ElementAt(runs.Count / 2); // the run with the median p99
        var expected = count * (measure / interval);
        var missed = Math.Max(0, (long)Math.Round(expected) - m.Runs);
        var allRan = m.Skipped == 0 && missed <= count / 200; // window edges: ±0.5 %
        var note = $"median p99 of {runs.Count} × {measure.TotalSeconds:0} s";
        var perRun = string.Join(", ", runs.Select(r => $"{r.P99:0.#} ({r.LongestPause})"));
        results.Add(new Row($"{name}: probes/s", $"{m.Runs / measure.TotalSeconds:N0}/s of {expected / measure.TotalSeconds:N0}/s due",
            "every run happens", allRan, $"{missed:N0} missed, {m.Skipped:N0} skipped, {m.Late:N0} > 1 s late; {note}"
            + (m.Failing > 0 ? $"; {m.Failing:N0} checks failing at the end, e.g. '{m.Sample}'" : "")));
        results.Add(new Row($"{name}: lateness p50/p99/max", $"{m.P50:0.#} / {m.P99:0.#} / {m.Max:0.#} ms",
            p99Target is { } p ? $"p99 <= {p.TotalMilliseconds:0} ms" : "", p99Target is { } p2 ? m.P99 <= p2.TotalMilliseconds : null,
            $"actual start - scheduled start, 0.1 ms buckets; each run's p99 ms (longest GC pause ms and kind): {perRun}"));
        if (atTarget) AddAtTargetRow(name, interval, runs, atTargetP99!.Value);
        results.Add(new Row($"{name}: CPU / RSS", $"{m.Cpu:0}% of a core / {m.RssMb:0} MB",
            rssTargetMb is { } r ? $"RSS <= {r:0} MB" : "", rssTargetMb is { } r2 ? m.RssMb <= r2 : null, $"CPU: 100% = one core; in the window: {m.Gc}"));
    }

    private void AddAtTargetRow(string name, TimeSpan interval, List<Measurement> runs, TimeSpan target)
    {
        var byTarget = runs.OrderBy(r => r.AtTarget!.P99).ElementAt(runs.Count / 2);
        results.Add(new Row($"{name}: lateness at the target p50/p99/max", byTarget.AtTarget!.ToString(),
            $"p99 <= {target.TotalMilliseconds:0} ms", byTarget.AtTarget.P99 <= target.TotalMilliseconds,
            $"|interval between two requests of a check in nginx's log - {interval.TotalSeconds:0} s|, median p99 of {runs.Count}: "
            + string.Join(", ", runs.Select(r => $"{r.AtTarget!.P99:0.#} ({r.AtTarget.Intervals:N0} intervals, {r.AtTarget.ListenOverflows:N0} listen queue overflows)"))
            + $"; from the probe's start to nginx's answer, p50/p99/max: {string.Join(", ", runs.Select(r => r.AtTarget!.WireFigures))}"));
    }

    private sealed record Measurement(long Runs, long Late, long Skipped, double P50, double P99, double Max,
        int Failing, string Sample, double Cpu, double RssMb, string LongestPause, string Gc, TargetLateness? AtTarget);

    /// <summary>How long after a daemon's start its runs are in their steady state: <paramref name="extra"/> after its first
    /// interval, or after the timer slots' first choice of width if that comes later.</summary>
    internal static TimeSpan Settled(TimeSpan interval, TimeSpan extra) =>
        extra + (interval > TimerQueueScheduler.RatePeriod ? interval : TimerQueueScheduler.RatePeriod);

    private async Task<Measurement> MeasureOnceAsync(string config, TimeSpan interval, TimeSpan measure, bool atTarget)
    {
        // The steady state: the start's own turbulence (JIT, thread pool, thousands of actors answered at once; at 10,000
        // HTTP checks every 2 s, ~3 s of probes reaching nginx up to ~160 ms late, README "Performance") ends before the window,
        // and so does the timer slots' first choice of width (runs then start up to 80 ms later: at the window's end, those runs
        // fell out of it, 20 of 10,000 at 1,000 checks every 2 s).
        var warmup = Settled(interval, TimeSpan.FromSeconds(5));
        var (started, measuring, overflows) = (UnixNow(), double.NaN, 0L);
        using var child = PicomonBinary.Start(Environment.ProcessPath!,
            ["daemon-child", config, warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
             measure.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        var stderr = child.StandardError.ReadToEndAsync();
        try
        {
            Task<(double, double)>? usage = null;
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "MEASURING")
                    (usage, measuring, overflows) = (ProcStat.MeasureAsync(child.Id, measure), UnixNow(), TargetLateness.ReadListenOverflows());
                if (!line.StartsWith("RESULT ", StringComparison.Ordinal)) continue;
                var ended = UnixNow();
                overflows = TargetLateness.ReadListenOverflows() - overflows;
                var f = line.Split(' ', 15);
                var (cpu, rss) = usage is null ? (double.NaN, double.NaN) : await usage;
                double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
                TargetLateness? seen = null;
                if (atTarget)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1.5)); // nginx flushes its log every second
                    var requests = nginx!.Requests(started, Math.Min(ended, measuring + measure.TotalSeconds), "/c");
                    seen = TargetLateness.Of(requests, interval, measuring) with
                    {
                        ListenOverflows = overflows,
                        Wire = ProbeStarts.WireDelays(DaemonChild.StartsPath(config), requests.Where(r => r.At >= measuring)),
                    };
                }
                return new Measurement(long.Parse(f[1]), long.Parse(f[2]), long.Parse(f[3]), D(4), D(5), D(6),
                    int.Parse(f[7]), f[14], cpu, rss, $"{f[10]} {f[11]}", $"GCs gen0/1/2 {f[8]}, paused {f[9]} ms (longest {f[10]} ms, {f[11]}), heap {f[12]} MB, "
                    + $"{long.Parse(f[13]) / Math.Max(1, long.Parse(f[1])):N0} bytes allocated a run",
                    seen);
            }
            throw new ChildFailedException($"daemon-child gave no result (exit {(child.HasExited ? child.ExitCode : -1)}): {await stderr}");
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
    }

    private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}

/// <summary>The daemon child exited without a result.</summary>
public sealed class ChildFailedException(string message) : Exception(message);
