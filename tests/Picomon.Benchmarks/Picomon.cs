using System.Diagnostics;

namespace Picomon.Benchmarks;

/// <summary>The published <c>picomon</c> binary: <c>$PICOMON_BIN</c>, else <c>artifacts/picomon/picomon</c>
/// under the repository, published there (Release, ReadyToRun as the project says) when missing.</summary>
public static class PicomonBinary
{
    public static async Task<string> LocateAsync()
    {
        if (Environment.GetEnvironmentVariable("PICOMON_BIN") is { Length: > 0 } bin && File.Exists(bin)) return bin;
        var repo = RepositoryRoot();
        var path = Path.Combine(repo, "artifacts", "picomon", "picomon");
        if (File.Exists(path)) return path;
        Console.Error.WriteLine($"publishing picomon to {Path.GetDirectoryName(path)} …");
        var (code, _, error) = await RunAsync("dotnet", ["publish", Path.Combine(repo, "src", "Picomon"), "-c", "Release",
            "-o", Path.GetDirectoryName(path)!], TimeSpan.FromMinutes(5));
        return code == 0 && File.Exists(path) ? path : throw new InvalidOperationException($"publish failed: {error}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Picomon.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find Picomon.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program to its end (killed at <paramref name="limit"/>): exit code, stdout, stderr.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string program, IEnumerable<string> args, TimeSpan limit,
        string? workingDirectory = null)
    {
        using var process = Start(program, args, workingDirectory: workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran longer than {limit}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string program, IEnumerable<string> args, bool redirectInput = false, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
    }
}

/// <summary>CPU time and resident memory of a running process, read from /proc.</summary>
public static class ProcStat
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User + system CPU time so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime field 15.
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Context switches so far, voluntary and not, of each thread alive now, by thread id.</summary>
    public static Dictionary<int, long> ContextSwitches(int pid)
    {
        var counts = new Dictionary<int, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                long count = 0;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                        || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        count += long.Parse(line[(line.IndexOf(':') + 1)..]);
                counts[int.Parse(Path.GetFileName(task))] = count;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return counts;
    }

    /// <summary>Context switches since <paramref name="before"/>: each living thread's own since then (all of them for a
    /// thread born since). Per thread, because a thread that ends takes its count with it: the thread pool retires idle
    /// workers, and a total minus a total lost such a worker's whole count, before the window too (a window once read
    /// fewer than none). The switches of a thread that ended within the window are still lost: the figure is a floor.</summary>
    public static long ContextSwitchesSince(int pid, Dictionary<int, long> before) =>
        ContextSwitches(pid).Sum(thread => thread.Value - before.GetValueOrDefault(thread.Key));

    /// <summary>Resident set size in MB.</summary>
    public static double RssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return 0;
    }

    /// <summary>CPU% of one core and peak RSS of <paramref name="pid"/> over <paramref name="window"/>.</summary>
    public static async Task<(double CpuPercent, double RssMb)> MeasureAsync(int pid, TimeSpan window)
    {
        var cpu0 = CpuTime(pid);
        var wall = Stopwatch.StartNew();
        var rss = RssMb(pid);
        while (wall.Elapsed < window)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, Math.Max(1, (window - wall.Elapsed).TotalMilliseconds))));
            rss = Math.Max(rss, RssMb(pid));
        }
        return ((CpuTime(pid) - cpu0) / wall.Elapsed * 100, rss);
    }
}
