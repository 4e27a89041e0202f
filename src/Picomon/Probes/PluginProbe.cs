using System.Net.Sockets;
using Picomon.Processes;

namespace Picomon.Probes;

/// <summary>The options of <c>plugin</c>: <c>command</c> (required), <c>warning-ok</c>.</summary>
public sealed record PluginOptions(ValueList<string> Command, bool WarningOk) : CheckOptions
{
    public static PluginOptions Read(OptionReader r) => new(r.Command("command"), r.Boolean("warning-ok", false));
}

/// <summary><c>plugin</c>: runs a Nagios-compatible plugin and maps its exit status to a result —
/// 0 OK succeeds, 1 WARNING fails unless <c>warning-ok</c>, 2 CRITICAL and 3 UNKNOWN fail. The
/// message is the plugin's first output line without its performance data, then its state:
/// <c>TCP CRITICAL - Connection refused (CRITICAL, exit 2)</c>.</summary>
public sealed class PluginProbe(IReadOnlyList<string> command, bool warningOk) : IProbe
{
    public static IReadOnlyList<CheckType> Types { get; } =
    [
        CheckType.Of("plugin", "CheckPlugin", TargetKind.OptionalHosts, AddressFamily.Unspecified, PluginOptions.Read,
            o => new PluginProbe(o.Command, o.WarningOk)),
    ];

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (outcome, error) = await ChildProcess.RunAsync(ProbeCommand.Expand(command, target), cancellationToken);
        if (outcome is null) return ProbeResult.Fail(error!);
        var code = outcome.ExitCode;
        if (code == 0 || (code == 1 && warningOk)) return ProbeResult.Ok;
        // Shells and exec wrappers use 126 and 127 for a program they could not run.
        if (code is 126 or 127) return ProbeResult.Fail($"{command[0]}: {(code == 126 ? "not executable" : "not found")} (exit {code})");
        var text = SplitPerfdata(ProbeCommand.FirstLine(outcome)).Text;
        var state = code switch { 1 => "WARNING, ", 2 => "CRITICAL, ", 3 => "UNKNOWN, ", _ => "" };
        return ProbeResult.Fail($"{(text.Length > 0 ? text : "no output")} ({state}exit {code})");
    }

    /// <summary>Splits a plugin output line at its first <c>|</c> into the human text and the
    /// performance data (null when there is none), both trimmed.</summary>
    public static (string Text, string? Perfdata) SplitPerfdata(string line)
    {
        var bar = line.IndexOf('|');
        return bar < 0 ? (line.Trim(), null) : (line[..bar].Trim(), line[(bar + 1)..].Trim());
    }
}
