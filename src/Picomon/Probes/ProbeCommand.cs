using Picomon.Net;
using Picomon.Processes;

namespace Picomon.Probes;

/// <summary>What the <c>plugin</c> and <c>exec</c> probes add to running a command: the target in its arguments,
/// and the line of its output a failure quotes.</summary>
public static class ProbeCommand
{
    /// <summary>Replaces <c>$ADDRESS$</c> and <c>$HOST$</c> in the arguments (not the program) by the
    /// target's address and name; a check without hosts has no address and keeps them as written.</summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> command, ProbeTarget target) =>
        target.Address is null
            ? command
            : [command[0], .. command.Skip(1).Select(a => a.Replace("$ADDRESS$", target.Address).Replace("$HOST$", target.Name))];

    /// <summary>The first line of stdout, or of stderr when stdout is blank ("" when both are), capped and
    /// escaped as every quoted reply is.</summary>
    public static string FirstLine(ChildProcess.Outcome outcome) =>
        FirstLineOf(outcome.Stdout) is { Length: > 0 } line ? line : FirstLineOf(outcome.Stderr);

    private static string FirstLineOf(string text) => Excerpt.FirstLine(text.TrimStart()).Trim();
}
