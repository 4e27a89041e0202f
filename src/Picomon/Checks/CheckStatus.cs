namespace Picomon.Checks;

/// <summary>Where a check stands in its state machine: OK → Retrying → Error → OK.
/// A check is Ok exactly when its last run succeeded (or it has not failed yet).</summary>
public enum CheckStatus
{
    Ok,
    /// <summary>Failing, but fewer than <c>retry</c>+1 consecutive failures so far.</summary>
    Retrying,
    /// <summary>In error: <c>retry</c>+1 or more consecutive failures.</summary>
    Error,
}
