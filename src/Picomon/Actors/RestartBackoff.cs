namespace Picomon.Actors;

/// <summary>How long a crashed check waits before <see cref="ChecksSupervisor"/> re-creates it: <see cref="Min"/>,
/// doubled for each crash in a row, up to <see cref="Max"/>; the count starts over once the check has run for
/// <see cref="Reset"/> since its last restart. Only checks that crashed have an entry.</summary>
public sealed class RestartBackoff
{
    /// <summary>The wait before the first restart of a crashed check.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a restart.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    /// <summary>A check that ran this long since its restart without crashing waits <see cref="Min"/> again.</summary>
    public static readonly TimeSpan Reset = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (int Crashes, DateTimeOffset RestartAt)> _crashes = new(StringComparer.Ordinal);

    /// <summary>Counts a crash of check <paramref name="id"/> at <paramref name="now"/>; returns the wait before its
    /// restart and how many times in a row it crashed.</summary>
    public (TimeSpan Delay, int Crashes) Crashed(string id, DateTimeOffset now)
    {
        var crashes = _crashes.TryGetValue(id, out var last) && now - last.RestartAt < Reset ? last.Crashes + 1 : 1;
        var delay = Min;
        for (var n = 1; n < crashes && delay < Max; n++) delay *= 2;
        if (delay > Max) delay = Max;
        _crashes[id] = (crashes, now + delay);
        return (delay, crashes);
    }

    /// <summary>The check left, or was replaced by a new definition: it starts with a clean slate.</summary>
    public void Forget(string id) => _crashes.Remove(id);
}
