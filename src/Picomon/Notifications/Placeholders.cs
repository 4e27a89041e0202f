using System.Text.RegularExpressions;

namespace Picomon.Notifications;

/// <summary>Texts with <c>{name}</c> placeholders, as in the original's <c>subject_tpl</c>: <c>{{</c> and <c>}}</c>
/// are literal braces. Shared by the mail subjects, the digest subject and the webhook template body.</summary>
public static partial class Placeholders
{
    /// <summary>The placeholders of a digest's subject (<c>notify.digest-subject-tpl</c>).</summary>
    public static readonly IReadOnlyList<string> DigestSubject = ["problems", "oks", "reminders", "checks"];

    /// <summary>The placeholders of a webhook's <c>format = template</c> body.</summary>
    public static readonly IReadOnlyList<string> TemplateBody = ["state", "check", "dest", "type", "message", "incident", "since"];

    /// <summary>The names of the placeholders <paramref name="template"/> uses, in order, each once.</summary>
    public static IReadOnlyList<string> Used(string template) =>
        Placeholder().Matches(template).Select(m => m.Value).Where(v => v is not ("{{" or "}}"))
            .Select(v => v[1..^1]).Distinct().ToList();

    /// <summary><paramref name="template"/> with each <c>{name}</c> replaced by <paramref name="value"/>'s answer
    /// (<paramref name="unknown"/> when it has none) and <c>{{</c>, <c>}}</c> by single braces.</summary>
    public static string Fill(string template, Func<string, string?> value, string unknown) =>
        Placeholder().Replace(template, m => m.Value switch
        {
            "{{" => "{",
            "}}" => "}",
            _ => value(m.Value[1..^1]) ?? unknown,
        });

    [GeneratedRegex(@"\{\{|\}\}|\{[^{}]*\}")]
    private static partial Regex Placeholder();
}
