using System.Collections.Concurrent;
using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Metrics;

/// <summary>How a probe run ended, as <c>picomon_probes_total{result}</c> counts it.</summary>
public enum ProbeOutcome { Success, Failure, Timeout }

/// <summary>What the metrics need from every probe run, counted as the runs happen (the read model keeps only
/// each check's last run): runs per type and <see cref="ProbeOutcome"/>, and the last certificate expiry each
/// <c>https</c> check saw. Thread-safe and lock-free on the run path: each probe holds its type's counters.</summary>
public sealed class ProbeCounters
{
    private readonly ConcurrentDictionary<string, long[]> _byType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _certificates = new(StringComparer.Ordinal);

    /// <summary><paramref name="probe"/>, counted here as the probe of <paramref name="check"/>.</summary>
    public IProbe Count(CheckDefinition check, IProbe probe) =>
        new CountingProbe(probe, check.Id, Counters(check.Type.Name), this);

    /// <summary>The counters of <paramref name="type"/>, one per <see cref="ProbeOutcome"/>.</summary>
    internal long[] Counters(string type) => _byType.GetOrAdd(type, _ => new long[Enum.GetValues<ProbeOutcome>().Length]);

    internal void RecordCertificate(string checkId, DateTimeOffset expiry) => _certificates[checkId] = expiry;

    /// <summary>Runs so far of <paramref name="type"/> that ended in <paramref name="outcome"/>.</summary>
    public long Runs(string type, ProbeOutcome outcome) =>
        _byType.TryGetValue(type, out var counters) ? Interlocked.Read(ref counters[(int)outcome]) : 0;

    /// <summary>The types that have counters (a probe was created for them).</summary>
    public IEnumerable<string> Types => _byType.Keys;

    /// <summary>The expiry of the certificate the last TLS handshake of <paramref name="checkId"/> got, if any.</summary>
    public DateTimeOffset? CertificateExpiry(string checkId) =>
        _certificates.TryGetValue(checkId, out var expiry) ? expiry : null;

    /// <summary>How many checks have a certificate expiry recorded.</summary>
    public int Certificates => _certificates.Count;

    /// <summary>Forgets the certificates of checks not in <paramref name="current"/> (checks a reload removed).</summary>
    public void RetainCertificates(IReadOnlySet<string> current)
    {
        foreach (var id in _certificates.Keys)
            if (!current.Contains(id)) _certificates.TryRemove(id, out _);
    }
}

/// <summary>A check's probe, counted in <see cref="ProbeCounters"/>. A run that ends after its token was
/// cancelled (the check's timeout) counts as a timeout, as <see cref="ProbeRunner"/> reports it.</summary>
internal sealed class CountingProbe(IProbe inner, string checkId, long[] counters, ProbeCounters owner) : IProbe
{
    private DateTimeOffset? _certificate; // the last expiry recorded, so an unchanged one costs no write

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        ProbeResult result;
        try
        {
            result = await inner.RunAsync(target, cancellationToken);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref counters[(int)(cancellationToken.IsCancellationRequested ? ProbeOutcome.Timeout : ProbeOutcome.Failure)]);
            throw;
        }
        var outcome = cancellationToken.IsCancellationRequested ? ProbeOutcome.Timeout
            : result.Success ? ProbeOutcome.Success : ProbeOutcome.Failure;
        Interlocked.Increment(ref counters[(int)outcome]);
        if (result.CertificateExpiry is { } expiry && expiry != _certificate)
        {
            _certificate = expiry;
            owner.RecordCertificate(checkId, expiry);
        }
        return result;
    }
}
