using System.Net.Sockets;
using System.Text.RegularExpressions;
using Picomon.Processes;

namespace Picomon.Probes;

/// <summary>The options of <c>exec</c>: <c>command</c> (required), <c>pattern</c>.</summary>
public sealed record ExecOptions(ValueList<string> Command, Pattern? Pattern) : CheckOptions
{
    public static ExecOptions Read(OptionReader r) => new(r.Command("command"), r.Pattern("pattern"));
}

/// <summary><c>exec</c>: runs a command and succeeds when it exits 0 and its stdout matches
/// <c>pattern</c> (optional: without one, exit 0 is enough).</summary>
public sealed class ExecProbe(IReadOnlyList<string> command, Regex? pattern) : IProbe
{
    public static IReadOnlyList<CheckType> Types { get; } =
    [
        CheckType.Of("exec", "CheckExec", TargetKind.OptionalHosts, AddressFamily.Unspecified, ExecOptions.Read,
            o => new ExecProbe(o.Command, o.Pattern?.Regex)),
    ];

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (outcome, error) = await ChildProcess.RunAsync(ProbeCommand.Expand(command, target), cancellationToken);
        if (outcome is null) return ProbeResult.Fail(error!);
        if (outcome.ExitCode != 0) return ProbeResult.Fail(WithLine($"exit status {outcome.ExitCode}", ProbeCommand.FirstLine(outcome)));
        if (pattern is null) return ProbeResult.Ok;
        try
        {
            return pattern.IsMatch(outcome.Stdout)
                ? ProbeResult.Ok
                : ProbeResult.Fail(WithLine($"output does not match '{pattern}'", ProbeCommand.FirstLine(outcome)));
        }
        catch (RegexMatchTimeoutException)
        {
            return ProbeResult.Fail($"pattern '{pattern}' took too long to match the output");
        }
    }

    private static string WithLine(string what, string line) => line.Length > 0 ? $"{what}: {line}" : $"{what} (no output)";
}
