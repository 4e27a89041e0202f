using System.Text.Json.Serialization;

namespace Picomon.Status;

/// <summary>A check's state as <c>picomon status</c>, its JSON and the HTTP API show it. Declared in display
/// order: problems first, the worst first. Each state's JSON name is fixed here.</summary>
public enum CheckViewState
{
    [JsonStringEnumMemberName("error")] Error,
    /// <summary>In error, its Problem held by its parents: one is in error, or its verdict is awaited
    /// (<see cref="CheckView.Hold"/> has <c>dependency</c>).</summary>
    [JsonStringEnumMemberName("unreachable")] Unreachable,
    /// <summary>Flapping, in error or not: its notifications are held until it settles (its hold includes <c>flapping</c>).</summary>
    [JsonStringEnumMemberName("flapping")] Flapping,
    /// <summary>In error, its Problem held by a maintenance window or a silence (<see cref="CheckView.Hold"/> says which).</summary>
    [JsonStringEnumMemberName("held")] Held,
    [JsonStringEnumMemberName("retrying")] Retrying,
    [JsonStringEnumMemberName("ok")] Ok,
}

/// <summary>One configured check as the operator sees it. Immutable; its JSON form (camelCase, ISO-8601 times,
/// null when unknown) is <c>picomon status --json</c> and <c>/api/v1/checks</c>.</summary>
/// <param name="Type">The configured type name (<c>http4</c>).</param>
/// <param name="Target">The target's human-readable name.</param>
/// <param name="Since">When the check entered <paramref name="State"/> (for an error: when the error began);
/// null when it has not reported yet.</param>
/// <param name="Message">The last run's message: the failure, possibly several lines; empty after a success.</param>
/// <param name="ConsecutiveFailures">Failures in a row so far.</param>
/// <param name="LastRun">When the last run started; null when none has finished yet.</param>
/// <param name="LastDurationSeconds">How long the last run took.</param>
/// <param name="Hold">The holds on the check's notifications now, comma-separated (<c>maintenance, silence</c>);
/// empty when none.</param>
/// <param name="Node">In a cluster only (absent from the JSON otherwise): the node running the check (<c>host:port</c>),
/// empty while its partition moves between nodes.</param>
public sealed record CheckView(
    string Id,
    CheckViewState State,
    string Type,
    string Target,
    DateTimeOffset? Since,
    string Message,
    int ConsecutiveFailures,
    DateTimeOffset? LastRun,
    double? LastDurationSeconds,
    string Hold = "",
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node = null);

/// <summary>Every check (or those matching the patterns asked for), problems first, as of <paramref name="TakenAt"/>.</summary>
public sealed record StatusReport(DateTimeOffset TakenAt, IReadOnlyList<CheckView> Checks)
{
    [JsonIgnore]
    public bool AnyInError => Checks.Any(c => c.State is CheckViewState.Error or CheckViewState.Unreachable or CheckViewState.Flapping
        or CheckViewState.Held);
}
