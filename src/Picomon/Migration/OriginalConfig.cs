using System.Text.Json;

namespace Picomon.Migration;

/// <summary>What an original config defined, as the stand-in recorded it (python/picomon_migrate.py).
/// Values stay <see cref="JsonElement"/>s: the config may have put anything Python allows in them, and
/// <see cref="PythonValue"/> says precisely what does not fit.</summary>
internal sealed record OriginalConfig(
    JsonElement Settings,
    IReadOnlyList<OriginalHost> Hosts,
    IReadOnlyList<OriginalCheck> Checks)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reads the runner's record; an error the config raised becomes a <see cref="MigrationException"/>.</summary>
    public static OriginalConfig Read(JsonDocument record, string configPath)
    {
        if (record.RootElement.TryGetProperty("error", out var error))
            throw MigrationException.At(error.GetProperty("where").GetString(), configPath, error.GetProperty("message").GetString()!);
        return record.RootElement.Deserialize<OriginalConfig>(Json)
               ?? throw new MigrationException($"{configPath}: the stand-in recorded nothing");
    }
}

/// <summary>A <c>Host(...)</c>: the addresses and name the config gave (null when left to the original's
/// default), the config's names for it (global variables, keys of global dicts), whether a check uses it.</summary>
internal sealed record OriginalHost(
    IReadOnlyList<string> Names,
    bool Used,
    JsonElement? Ipv4,
    JsonElement? Ipv6,
    JsonElement? Name,
    string? Where);

/// <summary>One element of <c>config.checks</c>: its class, the options given to it, its timing as the
/// original resolved it (defaults applied when it was built), the <c>checks.add()</c> call that built it
/// (null when built directly) and its target: a host (index into the hosts), a zone, or something else.</summary>
internal sealed record OriginalCheck(
    string Class,
    bool Foreign,
    JsonElement Options,
    JsonElement Every,
    JsonElement ErrorEvery,
    JsonElement Retry,
    JsonElement Timeout,
    int? Add,
    string? Where,
    int? Host,
    JsonElement? Target);
