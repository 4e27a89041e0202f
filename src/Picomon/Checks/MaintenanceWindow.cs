using Cronos;

namespace Picomon.Checks;

/// <summary>An entry of <c>picomon.maintenance</c>: while it is active, the notifications of the checks it matches
/// are held (the checks keep running). Either recurring — starting at each occurrence of a cron expression in a
/// time zone (Cronos, which handles daylight-saving changes) — or once, at a fixed start; each time for
/// <see cref="Duration"/>. Pure: the time is given.</summary>
/// <param name="Checks">Check ids or globs, as the subcommands' PATTERNs.</param>
/// <param name="Cron">The starts of a recurring window, or null for a fixed one.</param>
/// <param name="Zone">The time zone <see cref="Cron"/> is read in.</param>
/// <param name="Start">The start of a fixed window, or null for a recurring one.</param>
public sealed record MaintenanceWindow(
    string Name, CheckPatterns Checks, CronExpression? Cron, TimeZoneInfo Zone, DateTimeOffset? Start, TimeSpan Duration)
{
    public bool Matches(string checkId) => Checks.Matches(checkId);

    /// <summary>Whether the window is active at <paramref name="now"/>, and when that next changes (null: never again).</summary>
    public (bool Active, DateTimeOffset? NextChange) At(DateTimeOffset now)
    {
        if (Start is { } start)
            return now < start ? (false, start) : now < start + Duration ? (true, start + Duration) : (false, null);
        // The latest start within the last Duration; windows of overlapping occurrences run into each other, and the
        // end of this one is when the next evaluation looks again. Forward search only: Cronos's backward search
        // places a start skipped by a daylight-saving gap just before the gap, its forward search at its end.
        var last = Cron!.GetOccurrences(now - Duration, now, Zone, fromInclusive: false, toInclusive: true).LastOrDefault();
        if (last != default) return (true, last + Duration);
        return (false, Cron.GetNextOccurrence(now, Zone));
    }
}
