using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Reads <c>picomon.cluster</c>. Its keys are checked whether or not the cluster is enabled; the values
/// only matter (and are only required) when it is. The connection string is parsed by Npgsql in a method of its
/// own, called only when the cluster is on, so a single-node daemon never loads Npgsql.</summary>
internal static class ClusterReader
{
    private static readonly string[] Keys = ["enabled", "listen", "seeds", "database"];

    public static ClusterSettings Read(SettingsSection cluster, ErrorList errors)
    {
        errors.RejectUnknownKeys(cluster.Merged, cluster.Path, Keys);
        var enabled = cluster.ReadValue<bool>("enabled", Boolean);
        var listen = cluster.ReadValue<(string, int)>("listen", Endpoint);
        var seeds = cluster.Read("seeds", Endpoints);
        // The connection string is a secret: its value is never echoed in an error.
        var database = cluster["database"] is HoconScalar { Kind: not HoconScalarKind.Null } text ? text.Text : null;
        if (database is null)
            errors.Add(cluster["database"], cluster.KeyPath("database"), $"expected a string, got {cluster["database"].KindName}");
        if (!enabled) return ClusterSettings.Off with { Listen = listen, Seeds = seeds, Database = database ?? "" };
        // Left at their empty defaults, these are reported where the cluster was enabled.
        var where = cluster["enabled"];
        if (seeds.Count == 0)
            errors.Add(where, cluster.KeyPath("seeds"), "must list at least one node (host:port) when the cluster is enabled");
        if (database is { Length: 0 })
            errors.Add(where, cluster.KeyPath("database"), "must be a PostgreSQL connection string when the cluster is enabled");
        else if (database is not null && ConnectionStringProblem(database) is { } problem)
            errors.Add(cluster["database"], cluster.KeyPath("database"), problem);
        return new ClusterSettings(true, listen, seeds, database ?? "");
    }

    private static bool? Boolean(HoconValue value, string path, ErrorList errors) =>
        errors.ReadValue(value, path, v => (HoconConvert.ToBoolean(v, out var e), e));

    private static (string Host, int Port)? Endpoint(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        if (ParseEndpoint(text) is { } endpoint) return endpoint;
        errors.Add(value, path, $"expected host:port (IPv6 as [addr]:port), got '{text}'");
        return null;
    }

    private static IReadOnlyList<(string Host, int Port)>? Endpoints(HoconValue value, string path, ErrorList errors)
    {
        var list = errors.TextList(value, path);
        if (list is null) return null;
        var endpoints = new List<(string, int)>();
        foreach (var text in list)
        {
            if (ParseEndpoint(text) is { } endpoint) endpoints.Add(endpoint);
            else errors.Add(value, path, $"expected host:port (IPv6 as [addr]:port), got '{text}'");
        }
        return endpoints;
    }

    /// <summary>A node's address needs its port: there is no default one to fall back to.</summary>
    private static (string Host, int Port)? ParseEndpoint(string text) =>
        HostPort.TryParse(text, 0) is { Port: > 0 } endpoint ? endpoint : null;

    /// <summary>What Npgsql finds wrong in the connection string (an unknown keyword, a bad value), without the
    /// string itself.</summary>
    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"not a valid connection string: {e.Message.Split('\n')[0]}";
        }
    }
}
