using System.Text.Json.Serialization;

namespace Picomon.Status;

/// <summary>The JSON form of the read model, written once for <c>picomon status --json</c> and the HTTP API:
/// camelCase names, states by their <see cref="CheckViewState"/> names, times as ISO-8601 with their offset,
/// unknown values as null (never left out, so every field is always there). Source-generated: no reflection
/// at run time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusReport))]
public sealed partial class StatusJson : JsonSerializerContext;
