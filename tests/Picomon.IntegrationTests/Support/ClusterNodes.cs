using Npgsql;

namespace Picomon.IntegrationTests.Support;

/// <summary>Three (or more) published picomon processes on loopback forming one cluster over a throw-away PostgreSQL
/// database: each in a directory of its own with its own copy of the configuration (<c>cluster.conf</c>, the same text
/// for all unless a test says otherwise), each node's own <c>listen</c> from the environment
/// (<c>PICOMON_CLUSTER_LISTEN</c>). Nodes can be killed, paused, resumed and started
/// again (as systemd would restart them); which node holds a check or the notifier is read from the database.</summary>
public sealed class ClusterNodes : IDisposable
{
    private readonly Workspace _dir;
    private readonly int[] _ports;
    private readonly PicomonProcess?[] _nodes;
    private readonly List<PicomonProcess> _ended = [];

    private ClusterNodes(Workspace dir, string database, int[] ports)
    {
        (_dir, Database, _ports) = (dir, database, ports);
        _nodes = new PicomonProcess?[ports.Length];
    }

    public string Database { get; }

    public int Count => _ports.Length;

    /// <summary>The seeds line and the database of the configuration the test writes.</summary>
    public string ClusterBlock =>
        $$"""
        cluster {
          enabled = true
          listen = ${?PICOMON_CLUSTER_LISTEN}
          seeds = [{{string.Join(", ", _ports.Select(p => $"\"127.0.0.1:{p}\""))}}]
          database = "{{Database}}"
        }
        """;

    public static async Task<ClusterNodes> CreateAsync(Workspace dir, int count = 3) =>
        new(dir, await PostgresServer.Shared.CreateDatabaseAsync(), Enumerable.Range(0, count).Select(_ => DnsmasqServer.FreePort()).ToArray());

    public PicomonProcess Node(int i) => _nodes[i] ?? throw new InvalidOperationException($"node {i} is not running");

    public bool IsRunning(int i) => _nodes[i] is not null;

    /// <summary>Everything each node printed on stderr so far, the ended incarnations included.</summary>
    public string AllStderr => string.Join("\n", _ended.Concat(_nodes.OfType<PicomonProcess>()).Select(n => n.Stderr));

    private string Home(int i) => Directory.CreateDirectory(Path.Combine(_dir.Directory, $"node{i}")).FullName;

    /// <summary>Writes <paramref name="text"/> as every node's <c>cluster.conf</c>.</summary>
    public void WriteConfig(string text)
    {
        for (var i = 0; i < Count; i++) WriteConfig(i, text);
    }

    /// <summary>Writes <paramref name="text"/> as node <paramref name="i"/>'s <c>cluster.conf</c>.</summary>
    public void WriteConfig(int i, string text) => File.WriteAllText(Path.Combine(Home(i), "cluster.conf"), text);

    /// <summary>Starts node <paramref name="i"/> on its <c>cluster.conf</c>.</summary>
    public PicomonProcess Start(int i)
    {
        var node = PicomonBinary.StartWith(new Dictionary<string, string> { ["PICOMON_CLUSTER_LISTEN"] = $"127.0.0.1:{_ports[i]}" },
            Home(i), "-c", "cluster.conf");
        _nodes[i] = node;
        return node;
    }

    /// <summary>Runs a subcommand (<c>status</c>, <c>reload</c>, …) against node <paramref name="i"/>.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(int i, params string[] args) =>
        PicomonBinary.RunAsync(Home(i), Deadlines.Event, [.. args, "-c", "cluster.conf"]);

    /// <summary>The node's name as status shows it.</summary>
    public string Name(int i) => $"127.0.0.1:{_ports[i]}";

    /// <summary>Starts every node and returns once each is up in the cluster: a node still joining counts for no side
    /// in the split-brain resolver's majority, so a kill before that could take the whole cluster down.</summary>
    public async Task StartAllAsync()
    {
        for (var i = 0; i < Count; i++) Start(i);
        await Task.WhenAll(Enumerable.Range(0, Count).Select(WaitUpAsync));
    }

    /// <summary>Waits until node <paramref name="i"/> (this incarnation) says it is up in the cluster.</summary>
    public Task WaitUpAsync(int i) =>
        Node(i).WaitForOutputAsync((_, err) => err.Contains("this node is up in the cluster"), Deadlines.Event * 2);

    /// <summary>kill -9 of the given nodes at once; returns once they are gone.</summary>
    public async Task KillAsync(params int[] nodes)
    {
        foreach (var i in nodes) Node(i).Signal(9);
        foreach (var i in nodes)
        {
            await Node(i).WaitForExitAsync(Deadlines.Event);
            _ended.Add(Node(i));
            _nodes[i] = null;
        }
    }

    /// <summary>Waits for node <paramref name="i"/> to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(int i)
    {
        var code = await Node(i).WaitForExitAsync(Deadlines.Event);
        _ended.Add(Node(i));
        _nodes[i] = null;
        return code;
    }

    /// <summary>The node whose incarnation is the owner <paramref name="sql"/> reads, by its port; null when none.</summary>
    private async Task<int?> NodeOfOwnerAsync(string sql, params (string, object)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        if (await command.ExecuteScalarAsync() is not string owner) return null;
        var port = int.Parse(owner.Split('@')[1].Split('#')[0].Split(':')[1]);
        return Array.IndexOf(_ports, port);
    }

    /// <summary>The node running the notifier now (waits until one does).</summary>
    public Task<int> NotifierNodeAsync() => WaitForOwnerAsync("SELECT owner FROM partitions WHERE partition = -1");

    /// <summary>The node running check <paramref name="id"/> now (waits until its partition has a holder and its row exists).</summary>
    public Task<int> NodeOfCheckAsync(string id) => WaitForOwnerAsync(
        "SELECT p.owner FROM checks c JOIN partitions p USING (partition) WHERE c.id = @id", ("id", id));

    private async Task<int> WaitForOwnerAsync(string sql, params (string, object)[] parameters)
    {
        var until = DateTime.UtcNow + Deadlines.Event;
        while (true)
        {
            if (await NodeOfOwnerAsync(sql, parameters) is { } node and >= 0) return node;
            if (DateTime.UtcNow > until) throw new TimeoutException($"no holder for: {sql}");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the notifier runs on another node than <paramref name="node"/>.</summary>
    public Task NotifierMovedFromAsync(int node) => Poll.UntilAsync(
        () => NodeOfOwnerAsync("SELECT owner FROM partitions WHERE partition = -1").Result is { } n && n != node,
        $"the notifier moved away from node {node}", Deadlines.Event);

    public void Dispose()
    {
        foreach (var node in _nodes.OfType<PicomonProcess>())
        {
            if (!node.HasExited) node.Signal(18); // SIGCONT: a paused node must be able to die
            node.Dispose();
        }
        foreach (var node in _ended) node.Dispose();
    }
}
