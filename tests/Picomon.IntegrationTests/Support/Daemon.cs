using System.Text.Json;
using System.Text.RegularExpressions;

namespace Picomon.IntegrationTests.Support;

/// <summary>Starting picomon as a daemon on a configuration written into a workspace, and what the
/// daemon tests read back: signals, the log line format.</summary>
public static partial class Daemon
{
    public const int SigKill = 9, SigUsr1 = 10, SigTerm = 15;
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

    /// <summary>Sends SIGUSR1 until the daemon prints one more state dump (its header; the caller waits for the
    /// content it needs). Picomon keeps a SIGUSR1 or SIGHUP that arrives before its actors exist and hands it
    /// on once they do, which on a busy machine can be seconds after its first checks ran: a dump shows that the
    /// actors take signals. A dump also runs every check at once; more than one dump may come.</summary>
    public static async Task SignalUntilDumpAsync(PicomonProcess picomon)
    {
        var before = Dumps(picomon.Stdout);
        var until = DateTime.UtcNow + Deadlines.Event;
        while (true)
        {
            picomon.Signal(SigUsr1);
            try
            {
                await picomon.WaitForOutputAsync((stdout, _) => Dumps(stdout) > before, TimeSpan.FromSeconds(2));
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < until)
            {
                // Not taken yet, or the dump is still coming: ask again (asks during a dump fold into one more).
            }
        }
    }

    /// <summary>Asks <c>picomon status --json</c> until each of the <paramref name="checks"/> checks has finished a run
    /// since the daemon started (its <c>lastRun</c> is set). A check reports each run's result to the state only once it
    /// has taken it in, so a SIGUSR1 sent after this finds no run still in flight: it runs every check again (a check
    /// whose run is in flight takes a SIGUSR1 as "restart the schedule" only, §6).</summary>
    public static Task AllRanAsync(Workspace dir, int checks) =>
        Poll.UntilAsync(async () =>
        {
            var (exit, stdout, _) = await Scenario.PicomonAsync(dir, "status", "--json");
            if (exit is not (0 or 1)) return false; // no daemon listening yet
            var rows = JsonDocument.Parse(stdout).RootElement.GetProperty("checks").EnumerateArray().ToList();
            return rows.Count == checks && rows.All(r => r.GetProperty("lastRun").ValueKind != JsonValueKind.Null);
        }, $"all {checks} checks having run once", Deadlines.Event);

    /// <summary>How many state dumps the daemon has printed so far.</summary>
    public static int Dumps(string stdout) => Regex.Count(stdout, Regex.Escape(DumpHeader));

    /// <summary>The start of a log line: <c>2026-11-24 10:02:03,123 LEVEL: </c>.</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL): ")]
    public static partial Regex LogLine();
}
