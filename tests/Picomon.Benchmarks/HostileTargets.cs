using System.Diagnostics;

namespace Picomon.Benchmarks;

/// <summary>The daemon's memory against hostile HTTP targets (<see cref="HostileTarget"/>): three <c>http4</c>
/// checks at a 1 s tick against a target that drips a byte every 100 ms, one that floods 10 MB without a line
/// end and one that sends a 40 KB line of junk then 10 MB more. Every reply is read up to 64 KiB only, so the
/// peak RSS over the runs should stay near the idle figure.</summary>
public sealed class HostileTargets(string picomon, string dir, Results results, bool quick)
{
    public async Task RunAsync()
    {
        await using var drip = new HostileTarget(HostileTarget.Kind.Drip);
        await using var flood = new HostileTarget(HostileTarget.Kind.Flood);
        await using var junk = new HostileTarget(HostileTarget.Kind.JunkLine);
        HostileTarget[] targets = [drip, flood, junk];
        var config = Configs.Write(dir, "hostile", TimeSpan.FromSeconds(1),
            targets.Select(t => new Group(1, "http4", t.Port, "retry = 0,")));
        var runs = quick ? 5 : 20;
        var peak = 0.0;
        using var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        _ = daemon.StandardOutput.ReadToEndAsync();
        var stderr = daemon.StandardError.ReadToEndAsync();
        try
        {
            var limit = Stopwatch.StartNew();
            while (targets.Min(t => t.Connections) < runs)
            {
                if (daemon.HasExited) throw new InvalidOperationException($"picomon exited {daemon.ExitCode}: {await stderr}");
                if (limit.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"fewer than {runs} runs against each hostile target");
                peak = Math.Max(peak, ProcStat.RssMb(daemon.Id));
                await Task.Delay(200);
            }
        }
        finally
        {
            if (!daemon.HasExited) daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
        results.Add(new Row("Hostile targets (drip, 10 MB flood, junk line): daemon RSS", $"{peak:0} MB", "<= 300 MB",
            peak <= 300, $"peak over {runs} runs against each"));
    }
}
