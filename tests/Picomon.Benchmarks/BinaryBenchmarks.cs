using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Picomon.Benchmarks;

/// <summary>The figures about the published binary: <c>--one</c> wall time over N HTTP checks (all healthy,
/// and with 10 % hanging until their 2 s timeout), the start-up of <c>--one</c> with one check, and the idle
/// cost of a daemon with 10 checks at a 60 s tick (Picomon's scheduler, and Akka's default for comparison).</summary>
public sealed class BinaryBenchmarks(string picomon, string dir, Results results, bool quick)
{
    private int Repeats => quick ? 1 : 3;

    public async Task OneAsync(Nginx nginx, Listener hanging, int count, bool withHanging)
    {
        var hung = withHanging ? count / 10 : 0;
        var name = $"one-{count}-{(withHanging ? "hanging" : "healthy")}";
        var config = Configs.Write(dir, name, TimeSpan.FromSeconds(60),
            [new(count - hung, "http4", nginx.Port), new(hung, "http4", hanging.Port)]);
        var times = new List<double>();
        var notes = new List<string>();
        for (var i = 0; i < Repeats; i++)
        {
            var wall = Stopwatch.StartNew();
            var (code, stdout, stderr) = await PicomonBinary.RunAsync(picomon, ["--one", "-c", config], TimeSpan.FromMinutes(3));
            times.Add(wall.Elapsed.TotalSeconds);
            hanging.Release();
            var summary = Regex.Match(stdout, @"(\d+) checks?: (\d+) OK, (\d+) failed");
            if (!summary.Success) throw new InvalidOperationException($"picomon --one exited {code} without a summary: {stderr}");
            var failed = int.Parse(summary.Groups[3].Value);
            if (failed != hung) notes.Add($"run {i + 1}: {failed} failed, {hung} expected (exit {code}); {FirstFailure(stdout, stderr)}");
        }
        var median = Results.Median(times);
        double? target = (count, withHanging) switch { (1000, true) => 3, (1000, false) => 1, _ => null };
        results.Add(new Row($"--one {count:N0} HTTP checks, {(withHanging ? "10% hanging (2 s timeout)" : "all healthy")}",
            $"{median:0.00} s", target is { } t ? $"<= {t} s" : "", target is { } t2 ? median <= t2 : null,
            $"median of {Repeats}" + (notes.Count > 0 ? "; " + string.Join("; ", notes) : "")));
    }

    private static string FirstFailure(string stdout, string stderr)
    {
        var lines = stdout.Split('\n');
        var index = Array.FindIndex(lines, l => l.EndsWith(" failed:", StringComparison.Ordinal) && !l.Contains("/h"));
        index = index >= 0 ? index : Array.FindIndex(lines, l => l.EndsWith(" failed:", StringComparison.Ordinal));
        return index >= 0 && index + 1 < lines.Length ? $"e.g. '{lines[index + 1]}'" : stderr.Split('\n')[0];
    }

    public async Task StartupAsync(Listener target)
    {
        var config = Configs.Write(dir, "startup", TimeSpan.FromSeconds(60), [new(1, "tcp4", target.Port)]);
        var times = new List<double>();
        for (var i = 0; i < (quick ? 3 : 7); i++)
        {
            var wall = Stopwatch.StartNew();
            var (code, _, stderr) = await PicomonBinary.RunAsync(picomon, ["--one", "-c", config], TimeSpan.FromSeconds(30));
            if (code != 0) throw new InvalidOperationException($"picomon --one with one check exited {code}: {stderr}");
            times.Add(wall.Elapsed.TotalMilliseconds);
        }
        var median = Results.Median(times);
        results.Add(new Row("Start-up: picomon --one, one TCP check", $"{median:0} ms", "<= 500 ms", median <= 500,
            $"median of {times.Count} (min {times.Min():0} ms)"));
    }

    public async Task IdleAsync(Listener target, bool akkaDefaultScheduler)
    {
        var akka = akkaDefaultScheduler ? "akka.scheduler.implementation = \"Akka.Actor.HashedWheelTimerScheduler\"" : "";
        var config = Configs.Write(dir, akkaDefaultScheduler ? "idle-wheel" : "idle", TimeSpan.FromSeconds(60),
            [new(10, "tcp4", target.Port)], akka: akka);
        using var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        _ = daemon.StandardOutput.ReadToEndAsync();
        _ = daemon.StandardError.ReadToEndAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(quick ? 3 : 5)); // start-up and the first runs, spread over the tick
            var window = TimeSpan.FromSeconds(quick ? 15 : 60);
            var (cpu, rss) = await ProcStat.MeasureAsync(daemon.Id, window);
            var name = akkaDefaultScheduler ? "Idle, Akka's default scheduler (comparison)" : "Idle daemon: 10 checks, 60 s tick";
            results.Add(new Row($"{name}: CPU", $"{cpu:0.00}% of a core", akkaDefaultScheduler ? "" : "<= 0.5%",
                akkaDefaultScheduler ? null : cpu <= 0.5, $"over {window.TotalSeconds:0} s"));
            results.Add(new Row($"{name}: RSS", $"{rss:0} MB", akkaDefaultScheduler ? "" : "<= 60 MB",
                akkaDefaultScheduler ? null : rss <= 60));
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
    }
}
