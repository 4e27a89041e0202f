namespace Picomon.Checks;

/// <summary>The time-bound holds in force at one moment: the maintenance windows that are active and the silences
/// that last, and when that next changes. The aggregator recomputes it at each change (a window opening or closing, a
/// silence ending, added or expired, a reload) and asks it, for each check, which holds apply. Pure: the time is
/// given.</summary>
public sealed class HoldCalendar
{
    private IReadOnlyList<MaintenanceWindow> _windows = [];
    private IReadOnlyList<CheckPatterns> _silences = [];

    /// <summary>When a window opens or closes, or a silence ends, next (null: never, as things stand).</summary>
    public DateTimeOffset? NextChange { get; private set; }

    /// <summary>Takes the windows and the active silences as they are at <paramref name="now"/>.</summary>
    public void Update(IEnumerable<MaintenanceWindow> windows, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        var active = new List<MaintenanceWindow>();
        DateTimeOffset? next = null;
        foreach (var window in windows)
        {
            var (isActive, change) = window.At(now);
            if (isActive) active.Add(window);
            next = Earliest(next, change);
        }
        foreach (var silence in silences) next = Earliest(next, silence.Ends);
        _windows = active;
        _silences = silences.Select(s => CheckPatterns.Parse(s.Patterns, out _)).OfType<CheckPatterns>().ToList();
        NextChange = next;
    }

    /// <summary>The holds on <paramref name="checkId"/>'s notifications that this calendar decides.</summary>
    public HoldReasons Of(string checkId) =>
        (_windows.Any(w => w.Matches(checkId)) ? HoldReasons.Maintenance : HoldReasons.None)
        | (_silences.Any(s => s.Matches(checkId)) ? HoldReasons.Silence : HoldReasons.None);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
