namespace Picomon.Benchmarks;

/// <summary>Lateness as the target sees it: for each check (one path each in nginx's access log), the interval
/// between two of its consecutive requests, minus the configured interval, in absolute value. A run that starts
/// late makes one interval long and the next short, so each late request counts twice; a skipped run shows as
/// a whole interval.</summary>
public sealed record TargetLateness(long Intervals, double P50, double P99, double Max)
{
    /// <summary>How many times, since boot, a listen queue of this machine overflowed (a SYN dropped, then resent
    /// by the client a second later): <c>TcpExt ListenOverflows</c> of /proc/net/netstat, for every listener of
    /// the machine, so a count over a window is a bound for nginx's share.</summary>
    public static long ReadListenOverflows()
    {
        var lines = File.ReadAllLines("/proc/net/netstat");
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (!lines[i].StartsWith("TcpExt:", StringComparison.Ordinal)) continue;
            var at = Array.IndexOf(lines[i].Split(' '), "ListenOverflows");
            return at < 0 ? 0 : long.Parse(lines[i + 1].Split(' ')[at]);
        }
        return 0;
    }

    /// <param name="requests">Every request of the checks since their process started (earlier ones would pair
    /// with another process's).</param>
    /// <param name="from">Only intervals that end at or after this Unix time count (the measuring window).</param>
    public static TargetLateness Of(IEnumerable<(double At, string Path)> requests, TimeSpan interval, double from)
    {
        var deviations = new List<double>();
        foreach (var check in requests.GroupBy(r => r.Path))
        {
            var times = check.Select(r => r.At).Order().ToArray();
            for (var i = 1; i < times.Length; i++)
                if (times[i] >= from)
                    deviations.Add(Math.Abs((times[i] - times[i - 1]) * 1000 - interval.TotalMilliseconds));
        }
        if (deviations.Count == 0) return new TargetLateness(0, double.NaN, double.NaN, double.NaN);
        deviations.Sort();
        return new TargetLateness(deviations.Count, At(deviations, 0.50), At(deviations, 0.99), deviations[^1]);
    }

    /// <summary>Listen queue overflows on the machine during the window (see <see cref="ReadListenOverflows"/>).</summary>
    public long ListenOverflows { get; init; }

    /// <summary>For each request of the window, the time from its probe's start (inside Picomon) to nginx's answer, in ms.</summary>
    public IReadOnlyList<double> Wire { get; init; } = [];

    /// <summary><see cref="Wire"/> as p50 / p99 / max ms.</summary>
    public string WireFigures
    {
        get
        {
            if (Wire.Count == 0) return "-";
            var sorted = Wire.Order().ToList();
            return FormattableString.Invariant($"{At(sorted, 0.5):0.#} / {At(sorted, 0.99):0.#} / {sorted[^1]:0.#} ms");
        }
    }

    // The value at a fraction of a sorted list (nearest rank).
    private static double At(List<double> sorted, double fraction) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * fraction) - 1)];

    public override string ToString() => $"{P50:0.#} / {P99:0.#} / {Max:0.#} ms";
}
