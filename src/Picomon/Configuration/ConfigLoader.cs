using System.Net;
using System.Reflection;
using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>Finds, reads and validates the configuration: <c>--config FILE</c>, else <c>./picomon.conf</c>,
/// else the embedded default (the repository's hocon/picomon.conf), laid over the embedded reference.conf.</summary>
public static class ConfigLoader
{
    public const string EmbeddedSource = "embedded default";
    public const string LocalFile = "picomon.conf";

    /// <summary>The file to read, or null for the embedded default.</summary>
    public static string? Locate(string? explicitPath) =>
        explicitPath ?? (File.Exists(LocalFile) ? LocalFile : null);

    /// <summary>Reads and validates; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static PicomonSettings Load(string? path, Func<string, string?>? environment = null)
    {
        var errors = new ErrorList();
        var user = Parse(path, environment);
        errors.RejectUnknownKeys(user, "", ["picomon", "akka"]);
        var reference = Reference();
        var picomon = errors.Object(user["picomon"], "picomon") ?? new HoconObject(user.Location, []);
        var merged = HoconParser.Merge(reference, picomon);
        var akka = errors.Object(user["akka"], "akka") is { } akkaBlock
            ? HoconRenderer.Render(new HoconObject(akkaBlock.Location, [new("akka", akkaBlock)]))
            : null;
        var settings = SettingsReader.Read(merged, reference, picomon["notify"] is not null, path ?? EmbeddedSource, akka,
            Fqdn.Value, errors);
        if (errors.Errors.Count > 0)
            throw new ConfigException(errors.Errors.OrderBy(e => e.Location.File, StringComparer.Ordinal).ThenBy(e => e.Location.Line).ToList());
        return settings.Cluster.Enabled ? settings with { Digest = Digest(merged) } : settings;
    }

    /// <summary>The keys each node of a cluster has its own: not part of what every node must run the same.</summary>
    private static readonly string[] NodeOwnKeys = ["cluster", "state-dir", "verb-level"];

    /// <summary>SHA-256 of the configuration as read (includes and substitutions resolved), less each node's own keys.</summary>
    private static string Digest(HoconObject merged)
    {
        var shared = new HoconObject(merged.Location, merged.Fields.Where(f => !NodeOwnKeys.Contains(f.Key)).ToList());
        var text = HoconRenderer.Render(new HoconObject(merged.Location, [new("picomon", shared)]));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The <c>state-dir</c> of the configuration, read without validating the rest of it, so that the
    /// subcommands find the running daemon even while its file is being edited. Throws
    /// <see cref="ConfigException"/> (with every problem of the file) only when the file is not HOCON or its
    /// <c>state-dir</c> is not a non-empty string.</summary>
    public static string StateDirOf(string? path)
    {
        var picomon = Parse(path, null)["picomon"] as HoconObject;
        var stateDir = (picomon is null ? Reference() : HoconParser.Merge(Reference(), picomon))["state-dir"];
        return stateDir is not null && HoconConvert.ToText(stateDir, out _) is { Length: > 0 } text ? text : Load(path).StateDir;
    }

    private static HoconObject Parse(string? path, Func<string, string?>? environment)
    {
        try
        {
            return path is null
                ? HoconParser.ParseText(Embedded("Picomon.picomon.conf"), EmbeddedSource, null, environment)
                : HoconParser.ParseFile(path, environment);
        }
        catch (HoconException e)
        {
            throw new ConfigException([new ConfigError(e.Location, "", e.Message)]);
        }
    }

    private static HoconObject Reference() =>
        (HoconObject)HoconParser.ParseText(Embedded("Picomon.reference.conf"), "reference.conf")["picomon"]!;

    /// <summary>This host's fully qualified name, for the default From: and for Message-IDs.</summary>
    public static readonly Lazy<string> Fqdn = new(() =>
    {
        var name = Dns.GetHostName();
        try { return Dns.GetHostEntry(name).HostName; }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException) { return name; }
    });

    private static string Embedded(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"resource {resource} missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
