using System.Text.Json;
using System.Text.RegularExpressions;

namespace Picomon.Migration;

/// <summary>The config's <c>Host</c>s as <c>picomon.hosts</c> entries. A host's key is the variable (or
/// dict key) the config bound it to, else made from its name or address; hosts neither named nor used
/// by a check were unreachable in the original and are left out.</summary>
internal static partial class HostConverter
{
    /// <summary>One <c>picomon.hosts</c> entry; <see cref="IPv4"/>/<see cref="IPv6"/> are null when the config gave none.</summary>
    public sealed record Entry(string Key, string? IPv4, string? IPv6, string? Name, string? Where);

    /// <summary>The entries, indexed like <paramref name="hosts"/> (null for a host left out).</summary>
    public static IReadOnlyList<Entry?> Convert(IReadOnlyList<OriginalHost> hosts, string configPath)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<Entry?>();
        foreach (var host in hosts)
        {
            if (host.Names.Count == 0 && !host.Used)
            {
                entries.Add(null);
                continue;
            }
            var ipv4 = Text(host, host.Ipv4, "ipv4", configPath);
            var ipv6 = Text(host, host.Ipv6, "ipv6", configPath);
            var name = Text(host, host.Name, "name", configPath);
            var key = Unique(KeyOf(host, name, ipv4 ?? ipv6), taken);
            if (ipv4 is null && ipv6 is null)
                throw MigrationException.At(host.Where, configPath,
                    $"host {key}: neither ipv4 nor ipv6 given (the original used the documentation addresses 192.0.2.1 and 2001:db8::1); give it an address");
            entries.Add(new Entry(key, ipv4, ipv6, name, host.Where));
        }
        return entries;
    }

    private static string? Text(OriginalHost host, JsonElement? value, string field, string configPath)
    {
        if (value is not { ValueKind: not JsonValueKind.Null } given) return null;
        try { return PythonValue.RawText(given); }
        catch (FormatException e) { throw MigrationException.At(host.Where, configPath, $"Host {field}: {e.Message}"); }
    }

    private static string KeyOf(OriginalHost host, string? name, string? address)
    {
        foreach (var candidate in host.Names)
            if (Sanitize(candidate) is { Length: > 0 } key) return key;
        return Sanitize(name ?? "") is { Length: > 0 } fromName ? fromName
            : Sanitize(address ?? "") is { Length: > 0 } fromAddress ? fromAddress : "host";
    }

    private static string Unique(string key, HashSet<string> taken)
    {
        var unique = key;
        for (var n = 2; !taken.Add(unique); n++) unique = $"{key}-{n}";
        return unique;
    }

    /// <summary>A readable key from any text: letters, digits, <c>_ . -</c>; runs of anything else become <c>-</c>.</summary>
    private static string Sanitize(string text) => Unsafe().Replace(text, "-").Trim('-', '.');

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex Unsafe();
}
