using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Picomon.Processes;

/// <summary>Runs a command (program then arguments, never through a shell) for the <c>plugin</c> and <c>exec</c>
/// probes and the exec notification channel: in its own process group, its standard input given (or closed at
/// once), stdout and stderr read concurrently and each capped at <see cref="ReadCap"/>, and when it exits, times
/// out or is cancelled, its whole process group killed and the child reaped, so nothing it started keeps
/// running.</summary>
public static class ChildProcess
{
    /// <summary>Each output stream is capped at this many bytes (as every reply a probe reads is).</summary>
    public const int ReadCap = 64 * 1024;

    /// <summary>What a finished command left: its exit code and its (capped) output.</summary>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    // Process.Start cannot put the child in a new process group, and Kill(entireProcessTree) only
    // finds descendants through their parent links, which a double fork cuts. util-linux setsid
    // (essential on Debian) makes the child a session and group leader and then execs the program
    // in place (it forks only when it already is a group leader, which a fresh child is not), so
    // the group id is the child's pid and kill(-pid) reaches every descendant that stays in it.
    private const string Setsid = "/usr/bin/setsid";
    private const int SigKill = 9;

    /// <summary>Runs <paramref name="command"/> to its end with its standard input closed.</summary>
    public static Task<(Outcome? Outcome, string? Error)> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        RunAsync(command, stdin: null, environment: null, cancellationToken);

    /// <summary>Runs <paramref name="command"/> to its end, <paramref name="stdin"/> (UTF-8) on its standard input
    /// and <paramref name="environment"/> added to its environment. Error is set instead when the program cannot
    /// be started ("check_x: not found", "…: not executable"). On cancellation the group is killed, the child
    /// reaped, and <see cref="OperationCanceledException"/> thrown.</summary>
    public static async Task<(Outcome? Outcome, string? Error)> RunAsync(IReadOnlyList<string> command, string? stdin,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var program = command[0];
        var path = Locate(program);
        if (path is null) return (null, $"{program}: not found");
        if (!IsExecutable(path))
            return (null, $"{program}: not executable");

        var start = new ProcessStartInfo(Setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(path);
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, cancellationToken);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, cancellationToken);
        // Written while the output is read, so that a program answering before it has read everything cannot
        // block on a full pipe; without input, a program that reads stdin gets EOF, not the daemon's terminal.
        var input = WriteAndCloseAsync(process.StandardInput.BaseStream, stdin, cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            KillGroup(process.Id);
            await process.WaitForExitAsync(CancellationToken.None); // reaps: no zombie left behind
            throw;
        }
        // The program is done; whatever it left running in its group is a stray, and would also hold
        // the output pipes open.
        KillGroup(process.Id);
        await input;
        var outcome = new Outcome(process.ExitCode, await stdout, await stderr);
        cancellationToken.ThrowIfCancellationRequested();
        return (outcome, null);
    }

    /// <summary>The program's file: a path as given, or the first executable match on PATH.</summary>
    private static string? Locate(string program)
    {
        if (program.Contains('/')) return File.Exists(program) ? Path.GetFullPath(program) : null;
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(d => Path.GetFullPath(Path.Combine(d, program)))
            .FirstOrDefault(p => File.Exists(p) && IsExecutable(p));
    }

    // Picomon runs on Linux (it needs setsid); the guard only satisfies the platform analyzer.
    private static bool IsExecutable(string path) => !OperatingSystem.IsWindows() &&
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Reads a pipe to its end, keeping the first ReadCap bytes and discarding the rest, so
    /// that a chatty program never blocks on a full pipe and never grows our heap.</summary>
    private static async Task<string> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                kept.Write(buffer, 0, Math.Min(read, ReadCap - (int)kept.Length));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Cancelled, or the pipe went away with the killed group: keep what arrived.
        }
        return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
    }

    private static async Task WriteAndCloseAsync(Stream stream, string? text, CancellationToken cancellationToken)
    {
        try
        {
            if (text is not null) await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Cancelled, or the program exited without reading it all (a broken pipe): its exit status says the rest.
        }
        finally
        {
            try { stream.Close(); }
            catch (IOException) { /* the pipe is already broken */ }
        }
    }

    private static void KillGroup(int processGroup) => _ = Kill(-processGroup, SigKill); // ESRCH: group already gone

    // DllImport rather than LibraryImport: the source-generated form needs AllowUnsafeBlocks.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
