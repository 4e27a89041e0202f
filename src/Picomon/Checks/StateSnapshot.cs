namespace Picomon.Checks;

/// <summary>The whole state table at one moment, rows ordered by check id (ordinal). Immutable:
/// the SIGUSR1 dump, the reporter and status output read it without touching the aggregator.</summary>
public sealed record StateSnapshot(DateTimeOffset TakenAt, IReadOnlyList<CheckState> Checks)
{
    /// <summary>Checks in error now, in id order.</summary>
    public IEnumerable<CheckState> InError => Checks.Where(c => c.Status == CheckStatus.Error);

    /// <summary>The configured checks not in error (OK or retrying), in id order, as the dump and the report
    /// list them; a check that has not reported yet counts as OK.</summary>
    public IEnumerable<CheckNotInError> NotInError(IEnumerable<string> configured)
    {
        var rows = Checks.ToDictionary(c => c.Id);
        foreach (var id in configured.Order(StringComparer.Ordinal))
        {
            var status = rows.TryGetValue(id, out var row) ? row.Status : CheckStatus.Ok;
            if (status != CheckStatus.Error) yield return new CheckNotInError(id, status == CheckStatus.Retrying);
        }
    }

    /// <summary>Rows in error as the dump and report print them: since when the error began (local time), its message,
    /// what holds its Problem (or, while it flaps, its notifications).</summary>
    public static IEnumerable<CheckInError> ToErrors(IEnumerable<CheckState> rows, Func<string, string> targetName) =>
        rows.Select(c => new CheckInError(c.Id, targetName(c.Id), (c.ErrorSince ?? c.Since).ToLocalTime(), c.LastMessage,
            c.HeldProblem || c.Flap.Flapping ? Reconcile.Labels(c.Held) : ""));

    /// <summary>Checks that have been in error for strictly longer than <paramref name="duration"/> at
    /// <paramref name="now"/> (the global report's "failed for more than Ns").</summary>
    public IReadOnlyList<CheckState> InErrorLongerThan(TimeSpan duration, DateTimeOffset now) =>
        InError.Where(c => c.ErrorSince is { } since && now - since > duration).ToList();
}
