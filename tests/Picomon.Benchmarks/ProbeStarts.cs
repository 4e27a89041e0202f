using System.Globalization;
using Picomon.Probes;

namespace Picomon.Benchmarks;

/// <summary>When each HTTP probe with a numbered URL (<c>/c17</c>, see <see cref="Configs"/>) really started, in the
/// daemon child: set beside nginx's log, it splits the lateness at the target into the start's lateness and the
/// time from the probe's start to nginx's answer (the wire). Recorded into one array allocated up front, of structs
/// without references, so that the recording adds nothing for the garbage collector to trace.</summary>
public sealed class ProbeStarts(int capacity)
{
    private readonly (int Check, long UnixTicks)[] _starts = new (int, long)[capacity];
    private int _count;

    public IProbe Wrap(CheckOptions options, IProbe probe) =>
        options is HttpOptions { Url: ['/', 'c', .. var digits] } && int.TryParse(digits, CultureInfo.InvariantCulture, out var n)
            ? new Recording(this, n, probe)
            : probe;

    private void Record(int check)
    {
        var at = Interlocked.Increment(ref _count) - 1;
        if (at < _starts.Length) _starts[at] = (check, DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks);
    }

    /// <summary>One line per start: check number and Unix seconds.</summary>
    public void Write(string path) =>
        File.WriteAllLines(path, _starts.Take(Math.Min(_count, _starts.Length)).Select(s =>
            FormattableString.Invariant($"{s.Check} {s.UnixTicks / (double)TimeSpan.TicksPerSecond:0.000000}")));

    // nginx's $msec is cut to the millisecond and read from a clock cached once per turn of its event loop, so a request
    // can be logged a little before the start recorded here; without this slack it was paired with the run before
    // (measured: ~1% of requests at 100,000 checks, a "delay" of one whole interval).
    private const double ClockSlack = 0.005;

    /// <summary>For each request nginx logged (its time, its path <c>/cN</c>), the time since the last start of check
    /// N's probe before it, in ms; requests without a start are left out.</summary>
    public static List<double> WireDelays(string path, IEnumerable<(double At, string Path)> requests)
    {
        var starts = File.ReadLines(path).Select(l => l.Split(' '))
            .GroupBy(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => double.Parse(f[1], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Order().ToArray());
        var delays = new List<double>();
        foreach (var (at, requestPath) in requests)
        {
            if (!int.TryParse(requestPath.AsSpan(2), CultureInfo.InvariantCulture, out var check)
                || !starts.TryGetValue(check, out var times)) continue;
            var i = Array.BinarySearch(times, at + ClockSlack);
            if (i < 0) i = ~i - 1;
            if (i >= 0) delays.Add(Math.Max(0, at - times[i]) * 1000);
        }
        return delays;
    }

    private sealed class Recording(ProbeStarts starts, int check, IProbe probe) : IProbe
    {
        public Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
        {
            starts.Record(check);
            return probe.RunAsync(target, cancellationToken);
        }
    }
}
