using System.IO.Enumeration;

namespace Picomon.Checks;

/// <summary>The PATTERN arguments of the subcommands (README "Subcommands"): each a check id or a glob on ids, where
/// <c>*</c> matches any run of characters (<c>/</c> included, so <c>*/web</c> is every check of web),
/// <c>?</c> exactly one character, and <c>\</c> makes the next character literal (<c>\*</c>). Matching is
/// case-sensitive, like ids. No pattern at all matches every check.</summary>
public sealed class CheckPatterns
{
    public static readonly CheckPatterns All = new([]);

    private CheckPatterns(IReadOnlyList<string> patterns) => Patterns = patterns;

    public IReadOnlyList<string> Patterns { get; }

    /// <summary>The patterns, or null with <paramref name="error"/> set when one is empty.</summary>
    public static CheckPatterns? Parse(IReadOnlyList<string> patterns, out string? error)
    {
        error = patterns.Any(p => p.Length == 0) ? "a PATTERN cannot be empty" : null;
        return error is null ? new CheckPatterns([.. patterns]) : null;
    }

    public bool Matches(string id) =>
        Patterns.Count == 0 || Patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, id, ignoreCase: false));
}
