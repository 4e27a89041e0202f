using System.Globalization;
using System.Text;
using Picomon.Checks;

namespace Picomon.Mail;

/// <summary>The text of the <c>SIGUSR1</c> state dump and of the global report, shared so both
/// print checks the same way.</summary>
public static class StateText
{
    public const string DumpHeader = "Signal SIGUSR1 caught, printing state of checks.";

    /// <summary>The 80-character line around each check in error.</summary>
    public static readonly string Separator = string.Concat(Enumerable.Repeat("-+", 40));

    /// <summary>Each check in error as a block opened by <see cref="Separator"/>, then one closing separator
    /// (printed even when no check is in error). A check whose Problem is held has a <c>Held (silence)</c> line after
    /// its since line; the others' blocks are unchanged.</summary>
    public static string ErrorBlock(IEnumerable<CheckInError> errors)
    {
        var text = new StringBuilder();
        foreach (var error in errors)
        {
            text.Append(Separator).Append('\n');
            text.Append(error.TargetName).Append(": ").Append(error.Id).Append('\n');
            text.Append("Since ").Append(error.Since.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)).Append('\n');
            if (error.Hold.Length > 0) text.Append("Held (").Append(error.Hold).Append(")\n");
            foreach (var line in error.Message.Trim().ReplaceLineEndings("\n").Split('\n'))
                text.Append('\t').Append(line).Append('\n');
        }
        return text.Append(Separator).Append('\n').ToString();
    }

    /// <summary>The state text: a blank line, the checks in error, a blank line, the other checks.</summary>
    public static string Body(IEnumerable<CheckInError> errors, IEnumerable<CheckNotInError> others)
    {
        var text = new StringBuilder("\n    Checks in error:\n");
        text.Append(ErrorBlock(errors));
        text.Append("\n    Other checks (usually OK but may be in retry mode):\n");
        foreach (var other in others)
            text.Append("Check ").Append(other.Id).Append(other.Retrying ? " is retrying\n" : " is OK\n");
        return text.ToString();
    }

    /// <summary>What the daemon prints to stdout on <c>SIGUSR1</c>.</summary>
    public static string Dump(IEnumerable<CheckInError> errors, IEnumerable<CheckNotInError> others) =>
        DumpHeader + "\n" + Body(errors, others);
}
