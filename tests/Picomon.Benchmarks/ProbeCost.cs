using System.Diagnostics;

namespace Picomon.Benchmarks;

/// <summary>CPU per HTTP probe of the published daemon, side by side with Debian's Monit on the same nginx: both
/// started together, 1,000 URLs each (<c>/p{i}</c> for Picomon, <c>/m{i}</c> for Monit) every second, both
/// processes' CPU time read from /proc over the same windows and divided by the requests nginx logged for each in
/// that window — the probes that really happened, not the ones configured. Then Picomon alone with 2,000 and
/// 10,000 checks every 2 s (the same and five times the rate, in bigger bursts).</summary>
public sealed class ProbeCost(string picomon, string dir, Results results, bool quick)
{
    private TimeSpan Window => TimeSpan.FromSeconds(quick ? 8 : 20);
    private int Windows => quick ? 1 : 3;

    public async Task RunAsync(Nginx nginx)
    {
        using (var monit = await Monit.StartAsync(dir, nginx.Port, 1_000, TimeSpan.FromSeconds(1), "/m"))
            await MeasureAsync(nginx, 1_000, TimeSpan.FromSeconds(1), monit);
        await MeasureAsync(nginx, 2_000, TimeSpan.FromSeconds(2), null);
        await MeasureAsync(nginx, 10_000, TimeSpan.FromSeconds(2), null);
    }

    /// <summary>One window: CPU per probe of each (µs; Monit's NaN without Monit), Picomon's probes a second and
    /// its context switches a probe.</summary>
    private sealed record Figures(double Picomon, double Monit, double Rate, double Switches);

    private async Task MeasureAsync(Nginx nginx, int count, TimeSpan interval, Monit? monit)
    {
        var config = Configs.Write(dir, $"cost-{count}", interval, [new(count, "http4", nginx.Port, UrlPrefix: "/p")]);
        using var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        _ = daemon.StandardOutput.ReadToEndAsync();
        _ = daemon.StandardError.ReadToEndAsync();
        var windows = new List<Figures>();
        try
        {
            // Start-up, the first runs, the JIT's first tiers, and the timer slots' first choice of width.
            await Task.Delay(DaemonBenchmarks.Settled(interval, TimeSpan.FromSeconds(quick ? 3 : 8)));
            for (var w = 0; w < Windows; w++) windows.Add(await MeasureWindowAsync(nginx, daemon.Id, monit));
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
        var name = $"CPU per HTTP probe, {count:N0} checks every {interval.TotalSeconds:0} s";
        var picomonCosts = windows.Select(w => w.Picomon).ToList();
        var extra = $"{Results.Median(windows.Select(w => w.Rate)):N0} probes/s, {Results.Median(windows.Select(w => w.Switches)):0.0} context switches a probe";
        var picomonMedian = Results.Median(picomonCosts);
        if (monit is null)
        {
            results.Add(new Row($"{name}: Picomon", $"{picomonMedian:0} µs", "", null, $"{Note(picomonCosts)}; {extra}"));
            return;
        }
        var monitCosts = windows.Select(w => w.Monit).ToList();
        var monitMedian = Results.Median(monitCosts);
        results.Add(new Row($"{name}: Picomon / Monit {await MonitVersionAsync()}", $"{picomonMedian:0} / {monitMedian:0} µs ({picomonMedian / monitMedian:0.0}×)",
            "Picomon <= Monit", picomonMedian <= monitMedian,
            $"side by side on one nginx; Picomon {Note(picomonCosts)}, {extra}; Monit {Note(monitCosts)}"));
    }

    private async Task<Figures> MeasureWindowAsync(Nginx nginx, int picomonPid, Monit? monit)
    {
        TimeSpan MonitCpu() => monit is null ? TimeSpan.Zero : ProcStat.CpuTime(monit.Pid);
        var (from, picomonCpu, monitCpu) = (UnixNow(), ProcStat.CpuTime(picomonPid), MonitCpu());
        var threadSwitches = ProcStat.ContextSwitches(picomonPid);
        var wall = Stopwatch.StartNew();
        await Task.Delay(Window);
        var (picomonUsed, monitUsed) = (ProcStat.CpuTime(picomonPid) - picomonCpu, MonitCpu() - monitCpu);
        var switched = ProcStat.ContextSwitchesSince(picomonPid, threadSwitches);
        var to = from + wall.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // nginx flushes its log every second
        var probes = nginx.Requests(from, to, "/p").Count;
        return new Figures(PerProbe(picomonUsed, probes), monit is null ? double.NaN : PerProbe(monitUsed, nginx.Requests(from, to, "/m").Count),
            probes / (to - from), probes == 0 ? double.NaN : (double)switched / probes);
    }

    private static double PerProbe(TimeSpan cpu, int probes) => probes == 0 ? double.NaN : cpu.TotalMicroseconds / probes;

    private string Note(List<double> costs) =>
        $"median of {costs.Count} × {Window.TotalSeconds:0} s windows ({string.Join(", ", costs.Select(c => c.ToString("0")))} µs)";

    private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static async Task<string> MonitVersionAsync()
    {
        var (code, stdout, _) = await PicomonBinary.RunAsync("/usr/bin/monit", ["-V"], TimeSpan.FromSeconds(10));
        var words = stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return code == 0 && words.Length > 4 ? words[4].Trim() : "";
    }
}
