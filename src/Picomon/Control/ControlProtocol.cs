using System.Text.Json;
using System.Text.Json.Serialization;

namespace Picomon.Control;

/// <summary>The control socket's wire format, version 1 (README, "Control socket"). The client sends one JSON
/// line, a <see cref="ControlRequest"/>; the daemon answers with a <see cref="ControlHeader"/> line and, when
/// it is ok, one line holding the command's result (one JSON value), then closes the connection.</summary>
public static class ControlProtocol
{
    public const int Version = 1;
    public const string SocketName = "control.sock";

    /// <summary>A longer request line is refused: every request is a few patterns and words.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>The socket of the daemon running on <paramref name="stateDir"/> (relative to the current directory,
    /// as the daemon resolves it).</summary>
    public static string SocketPath(string stateDir) => Path.Combine(Path.GetFullPath(stateDir), SocketName);
}

/// <summary>One request: the command's name and its arguments (an object; absent when it takes none).</summary>
public sealed record ControlRequest(int Version, string Command, JsonElement? Args = null);

/// <summary>The first line of every answer: <see cref="Ok"/>, or the <see cref="Error"/> that stopped the request.</summary>
public sealed record ControlHeader(int Version, bool Ok, string? Error);

/// <summary>The arguments of <c>status</c> and <c>run-now</c>: check ids or globs; none (or no arguments at all)
/// means every check.</summary>
public sealed record PatternArgs
{
    // A settable property with its default, not a constructor parameter: the generated reader gives an absent
    // constructor parameter (or init-only property) null, not its default.
    public IReadOnlyList<string> Patterns { get; set; } = [];
}

/// <summary>The arguments of a command that takes none.</summary>
public sealed record NoArgs;

/// <summary>The result of <c>run-now</c>: how many checks matched and were told to run.</summary>
public sealed record RunNowResult(int Matched);

/// <summary>The result of <c>reload</c>: applied (with the counts of the running checks' changes, and the changes
/// that need a restart as <see cref="Warnings"/>) or refused with every configuration error.</summary>
public sealed record ReloadResult(string Source, bool Applied, int Unchanged, int Changed, int Added, int Removed,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors);

/// <summary>The arguments of <c>silence-add</c>: patterns (at least one), how long in seconds, an optional comment.</summary>
public sealed record SilenceAddArgs
{
    public IReadOnlyList<string> Patterns { get; set; } = [];
    public double Seconds { get; set; }
    public string Comment { get; set; } = "";
}

/// <summary>A silence as the control socket shows it (times in ISO-8601 with their offset).</summary>
public sealed record SilenceView(string Id, IReadOnlyList<string> Patterns, DateTimeOffset Created, DateTimeOffset Ends, string Comment);

/// <summary>The result of <c>silence-list</c>: the active silences, oldest first.</summary>
public sealed record SilenceListResult(IReadOnlyList<SilenceView> Silences);

/// <summary>The arguments of <c>silence-expire</c>.</summary>
public sealed record SilenceExpireArgs
{
    public string Id { get; set; } = "";
}

/// <summary>The result of <c>silence-expire</c>: <see cref="Found"/> is false when no active silence had that id.</summary>
public sealed record SilenceExpireResult(string Id, bool Found);

/// <summary>The arguments of <c>ack</c>: the check whose open incident is acknowledged.</summary>
public sealed record AckArgs
{
    public string Check { get; set; } = "";
    public string Comment { get; set; } = "";
}

/// <summary>The result of <c>ack</c>: the incident acknowledged, or why none was (<see cref="Refusal"/>).</summary>
public sealed record AckResult(string? Incident, string? Refusal);

/// <summary>The JSON of the protocol's own types (a command's result may come from another context, as
/// <c>status</c>'s comes from <see cref="Status.StatusJson"/>). Strict on what it reads: a missing or null
/// value that is not optional is a bad request, not a null in the handler.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlHeader))]
[JsonSerializable(typeof(PatternArgs))]
[JsonSerializable(typeof(NoArgs))]
[JsonSerializable(typeof(RunNowResult))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(SilenceAddArgs))]
[JsonSerializable(typeof(SilenceView))]
[JsonSerializable(typeof(SilenceListResult))]
[JsonSerializable(typeof(SilenceExpireArgs))]
[JsonSerializable(typeof(SilenceExpireResult))]
[JsonSerializable(typeof(AckArgs))]
[JsonSerializable(typeof(AckResult))]
public sealed partial class ControlJson : JsonSerializerContext;
