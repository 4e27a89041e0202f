namespace Picomon.Configuration;

/// <summary><c>picomon.cluster</c>. Off by default: the daemon is then today's single process with
/// SQLite, and nothing of the cluster is loaded. <see cref="Database"/> is a connection string that may hold a
/// password: never log it.</summary>
/// <param name="Listen">This node's host and port for the other nodes (Akka.Remote).</param>
/// <param name="Seeds">The nodes contacted to join the cluster (host, port), the same list on every node.</param>
/// <param name="Database">The PostgreSQL connection string (Npgsql) of the shared state.</param>
public sealed record ClusterSettings(
    bool Enabled,
    (string Host, int Port) Listen,
    IReadOnlyList<(string Host, int Port)> Seeds,
    string Database)
{
    public static readonly ClusterSettings Off = new(false, ("127.0.0.1", 4053), [], "");

    /// <summary>A node's name as shown by <c>picomon status</c>: <c>host:port</c> (<c>[v6]:port</c>).</summary>
    public static string NodeName(string host, int port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    // By value, seeds included: a reload compares settings, and two loads of one file are equal.
    public bool Equals(ClusterSettings? other) =>
        other is not null && Enabled == other.Enabled && Listen == other.Listen && Seeds.SequenceEqual(other.Seeds)
        && Database == other.Database;

    public override int GetHashCode() => HashCode.Combine(Enabled, Listen, Seeds.Count, Database);

    // Records print every property; keep the connection string (and its password) out of any log line.
    public override string ToString() =>
        $"ClusterSettings {{ Enabled = {Enabled}, Listen = {NodeName(Listen.Host, Listen.Port)}, Seeds = [{string.Join(", ", Seeds.Select(s => NodeName(s.Host, s.Port)))}], Database = *** }}";
}
