namespace Picomon.Checks;

/// <summary>A silence (<c>picomon silence add</c>): while it lasts, the notifications of the checks it matches are
/// held, as in a maintenance window. Kept in the state store until it ends or is expired.</summary>
/// <param name="Id">Short and unique: what <c>silence expire</c> names.</param>
/// <param name="Patterns">Check ids or globs, as the subcommands' PATTERNs.</param>
/// <param name="Ends">When it stops holding.</param>
/// <param name="Comment">The operator's words; empty when none.</param>
public sealed record Silence(string Id, IReadOnlyList<string> Patterns, DateTimeOffset Created, DateTimeOffset Ends, string Comment)
{
    public bool ActiveAt(DateTimeOffset now) => now < Ends;

    public bool Matches(string checkId) => CheckPatterns.Parse(Patterns, out _)?.Matches(checkId) ?? false;

    /// <summary>A new id: eight hexadecimal digits, not one of <paramref name="taken"/>.</summary>
    public static string NewId(IReadOnlyCollection<string> taken)
    {
        while (true)
        {
            var id = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
            if (!taken.Contains(id)) return id;
        }
    }
}

/// <summary>An acknowledgement (<c>picomon ack</c>) of an open incident: its reminders stop; its OK still goes out.
/// Kept in the state store until the incident closes.</summary>
/// <param name="Incident">The incident's id, <c>CHECK#N</c>.</param>
public sealed record Acknowledgement(string Incident, string CheckId, DateTimeOffset At, string Comment);
