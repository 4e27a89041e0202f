using System.Text;

namespace Picomon.Net;

/// <summary>Quoting what a peer or a program said, safely: shared by the probes' failure messages and the
/// notification senders' log lines.</summary>
public static class Excerpt
{
    /// <summary>How much of a line is quoted.</summary>
    private const int Length = 200;

    /// <summary>The first line of a reply or output, as a failure message quotes it: at most 200 printed
    /// characters (then '…'), control characters escaped (<c>\x07</c>), so a hostile peer cannot flood a mail
    /// or a dump — escapes count toward the 200, so a line of binary junk stays as short as any other.</summary>
    public static string FirstLine(string reply)
    {
        var end = reply.IndexOf('\n');
        var line = (end < 0 ? reply : reply[..end]).TrimEnd('\r');
        var text = new StringBuilder();
        foreach (var c in line)
        {
            var shown = char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString();
            if (text.Length + shown.Length > Length) return text.Append('…').ToString();
            text.Append(shown);
        }
        return text.ToString();
    }
}
