namespace Picomon.Scheduling;

/// <summary>How well the checks keep their schedule, counted without a message per run: each check actor
/// records its run's lateness (actual start − scheduled start) and the runs it skipped into shared,
/// lock-free counters — a fixed histogram, so memory stays the same however many runs there are.
/// Readers take <see cref="Snapshot"/>s and compare two of them; nothing is ever reset.</summary>
public sealed class LoadStats
{
    /// <summary>A run that starts later than this behind its schedule counts as late.</summary>
    public static readonly TimeSpan LateThreshold = TimeSpan.FromSeconds(1);

    // 0.1 ms buckets below 100 ms, 10 ms buckets below 10 s, 1 s buckets below 10 min, then one overflow bucket.
    private const long FineLimit = 100_000, MidLimit = 10_000_000, CoarseLimit = 600_000_000; // microseconds
    private const int FineBuckets = 1000, MidBuckets = 990, CoarseBuckets = 590;
    internal const int Buckets = FineBuckets + MidBuckets + CoarseBuckets + 1;

    private readonly long[] _histogram = new long[Buckets];
    private long _late;
    private long _skipped;

    /// <summary>A run started <paramref name="lateness"/> after its scheduled start (negative counts as zero).</summary>
    public void RecordStart(TimeSpan lateness)
    {
        var micros = Math.Max(0, lateness.Ticks / 10);
        Interlocked.Increment(ref _histogram[Bucket(micros)]);
        if (lateness > LateThreshold) Interlocked.Increment(ref _late);
    }

    /// <summary>Scheduled runs that did not happen because the previous run was still in flight.</summary>
    public void RecordSkipped(long runs) => Interlocked.Add(ref _skipped, runs);

    public LoadSample Snapshot()
    {
        var counts = new long[Buckets];
        for (var i = 0; i < Buckets; i++) counts[i] = Interlocked.Read(ref _histogram[i]);
        return new LoadSample(counts, Interlocked.Read(ref _late), Interlocked.Read(ref _skipped));
    }

    internal static int Bucket(long micros) => micros switch
    {
        < FineLimit => (int)(micros / 100),
        < MidLimit => FineBuckets + (int)((micros - FineLimit) / 10_000),
        < CoarseLimit => FineBuckets + MidBuckets + (int)((micros - MidLimit) / 1_000_000),
        _ => Buckets - 1,
    };

    /// <summary>The upper bound of a bucket, so a reported percentile is never better than the truth.</summary>
    internal static TimeSpan UpperBound(int bucket) => TimeSpan.FromMicroseconds(bucket switch
    {
        < FineBuckets => (bucket + 1) * 100L,
        < FineBuckets + MidBuckets => FineLimit + (bucket - FineBuckets + 1) * 10_000L,
        < Buckets - 1 => MidLimit + (bucket - FineBuckets - MidBuckets + 1) * 1_000_000L,
        _ => CoarseLimit,
    });
}

/// <summary>The counters of a <see cref="LoadStats"/> at one moment.</summary>
public sealed class LoadSample(long[] counts, long late, long skipped)
{
    public static readonly LoadSample Zero = new(new long[LoadStats.Buckets], 0, 0);

    /// <summary>What happened between <paramref name="earlier"/> and this sample.</summary>
    public LoadWindow Since(LoadSample earlier)
    {
        var window = new long[LoadStats.Buckets];
        long runs = 0;
        for (var i = 0; i < window.Length; i++) runs += window[i] = counts[i] - earlier.Counts[i];
        return new LoadWindow(runs, late - earlier.Late, skipped - earlier.Skipped,
            Percentile(window, runs, 0.50), Percentile(window, runs, 0.99), Percentile(window, runs, 1.0));
    }

    private long[] Counts => counts;
    private long Late => late;
    private long Skipped => skipped;

    private static TimeSpan Percentile(long[] window, long runs, double fraction)
    {
        if (runs == 0) return TimeSpan.Zero;
        var rank = Math.Max(1, (long)Math.Ceiling(runs * fraction));
        long seen = 0;
        for (var i = 0; i < window.Length; i++)
            if ((seen += window[i]) >= rank) return LoadStats.UpperBound(i);
        return LoadStats.UpperBound(window.Length - 1);
    }
}

/// <summary>Runs started, late and skipped over a period, and the lateness percentiles of the started
/// runs (each rounded up to its histogram bucket: 0.1 ms below 100 ms, 10 ms below 10 s).</summary>
public sealed record LoadWindow(long Runs, long Late, long Skipped, TimeSpan P50, TimeSpan P99, TimeSpan Max);
