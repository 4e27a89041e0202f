namespace Picomon.Checks;

/// <summary>A check not in error: OK, or failing but still within its retries.</summary>
public sealed record CheckNotInError(string Id, bool Retrying);
