using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Picomon.IntegrationTests;

/// <summary>The published <c>picomon</c> binary, as a user runs it: <c>$PICOMON_BIN</c> when set (tests/run
/// publishes it there), else published once per test run into a temporary folder.</summary>
public static class PicomonBinary
{
    private static readonly Lazy<string> Published = new(Publish);

    public static string Path => Environment.GetEnvironmentVariable("PICOMON_BIN") is { Length: > 0 } bin ? bin : Published.Value;

    /// <summary>Starts picomon with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static PicomonProcess Start(string workingDirectory, params string[] args) =>
        StartWith(new Dictionary<string, string>(), workingDirectory, args);

    /// <summary>Starts picomon with extra environment variables.</summary>
    public static PicomonProcess StartWith(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        Launch(environment, workingDirectory, null, args);

    /// <summary>Starts picomon through <paramref name="launcher"/> (e.g. <c>nohup</c>), a program that execs it
    /// in its own process, so signals sent to the process reach picomon.</summary>
    public static PicomonProcess StartUnder(string launcher, string workingDirectory, params string[] args) =>
        Launch(new Dictionary<string, string>(), workingDirectory, launcher, args);

    private static PicomonProcess Launch(
        IReadOnlyDictionary<string, string> environment, string workingDirectory, string? launcher, string[] args)
    {
        var info = new ProcessStartInfo(launcher ?? Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (launcher is not null) info.ArgumentList.Add(Path);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        return new PicomonProcess(Process.Start(info)!);
    }

    /// <summary>Runs picomon to completion (killing it after <paramref name="deadline"/>).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string workingDirectory, TimeSpan deadline, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var exit = await process.WaitForExitAsync(deadline);
        return (exit, process.Stdout, process.Stderr);
    }

    private static string Publish()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Picomon.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Picomon.sln not found above the test binaries");
        var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"picomon-it-{Environment.ProcessId}");
        var info = new ProcessStartInfo("dotnet", ["publish", System.IO.Path.Combine(root.FullName, "src/Picomon"), "-c", "Release", "-o", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(info)!;
        var log = publish.StandardOutput.ReadToEndAsync();
        publish.WaitForExit();
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{log.Result}");
        return System.IO.Path.Combine(output, "picomon");
    }
}

/// <summary>A running picomon: its output collected as it comes, signals, and a bounded wait.</summary>
public sealed class PicomonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public PicomonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    /// <summary>Waits until <paramref name="condition"/> holds on stdout/stderr, or fails after <paramref name="deadline"/>.</summary>
    public async Task WaitForOutputAsync(Func<string, string, bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition(Stdout, Stderr))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"condition not met within {deadline}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            if (_process.HasExited && !condition(Stdout, Stderr))
                throw new InvalidOperationException($"picomon exited ({_process.ExitCode}).\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            await Task.Delay(50);
        }
    }

    /// <summary>The exit code; the process is killed (and the test fails) if it outlives the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"picomon still running after {deadline}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
