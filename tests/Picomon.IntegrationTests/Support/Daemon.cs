using System.Text.RegularExpressions;

namespace Picomon.IntegrationTests.Support;

/// <summary>Starting picomon as a daemon on a configuration written into a workspace, and what the
/// daemon tests read back: signals, the SPEC §9 log line format.</summary>
public static partial class Daemon
{
    public const int SigUsr1 = 10, SigTerm = 15;
    public const string DumpHeader = "Signal SIGUSR1 caught, printing state of checks.";

    /// <summary>Writes <paramref name="config"/> as <c>daemon.conf</c>, starts picomon on it and returns once
    /// its supervisor has started the <paramref name="checks"/> checks.</summary>
    public static async Task<PicomonProcess> StartAsync(Workspace dir, string config, int checks)
    {
        dir.Write("daemon.conf", config);
        var process = PicomonBinary.Start(dir.Directory, "-c", "daemon.conf");
        try
        {
            await process.WaitForOutputAsync((_, stderr) => stderr.Contains($"Started {checks} checks"), Deadlines.Event);
            return process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>How many state dumps the daemon has printed so far.</summary>
    public static int Dumps(string stdout) => Regex.Count(stdout, Regex.Escape(DumpHeader));

    /// <summary>The start of a SPEC §9 log line: <c>2026-11-24 10:02:03,123 LEVEL: </c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL): ")]
    public static partial Regex LogLine();
}
