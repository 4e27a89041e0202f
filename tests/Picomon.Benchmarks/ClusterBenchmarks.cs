using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;
using Picomon.TestSupport;

namespace Picomon.Benchmarks;

/// <summary>The cluster's figures: three published nodes on loopback over a throw-away PostgreSQL (Debian's, as the
/// tests start it). Failover: HTTP checks every second, one path each on a target that records when each path is
/// asked for; a node (the notifier's among them) is killed with <c>kill -9</c>, and the failover time is from the kill
/// to the first request, by another node, of the last of the checks the dead node ran (its partitions read from
/// PostgreSQL just before the kill); the node is then restarted, as systemd would, and the next kill waits until every
/// node runs checks again. A failover that has not ended after <see cref="Deadline"/> is reported as such (the row
/// missed, the nodes' lines and the partitions' holders on stderr), and ends the kills. Scale:
/// 100,000 TCP checks every 60 s over the three nodes, once every check has run: each node's checks, CPU and RSS, and
/// the minutes in which a node reported runs that started more than a second late or were skipped (its once-a-minute
/// load report).</summary>
public sealed class ClusterBenchmarks(string picomon, string dir, Results results, bool quick)
{
    private const int Nodes = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public async Task RunAsync(Listener tcp)
    {
        await FailoverAsync();
        await ScaleAsync(tcp);
    }

    public async Task FailoverAsync()
    {
        var kills = quick ? 3 : 10;
        const int checks = 60;
        using var target = new RecordingTarget();
        await using var cluster = await Cluster.StartAsync(picomon, dir, "failover", TimeSpan.FromSeconds(1),
            Enumerable.Range(0, checks).Select(i => $"{{ type = http4, hosts = [h], port = {target.Port}, url = \"/c{i}\", name = \"c{i}\" }}"));
        await Until(() => Enumerable.Range(0, checks).All(i => target.Count($"/c{i}") > 0), "every check asked for");
        var times = new List<double>();
        var notifierKills = 0;
        // A failover that does not end within the deadline is a figure (the target missed, what the nodes logged on
        // stderr), not a broken suite; the kills stop there, the cluster being in no state to measure more.
        string? stuck = null;
        for (var kill = 0; kill < kills && stuck is null; kill++)
        {
            // The node restarted after the previous kill runs its share again: a kill of a node that runs nothing
            // would measure nothing.
            var waitedFrom = DateTime.UtcNow;
            if (!await Within(async () => (await Task.WhenAll(Enumerable.Range(0, Nodes).Select(cluster.ChecksOfAsync))).All(c => c.Count > 0), Deadline))
            {
                stuck = $"before kill {kill + 1}, a node still ran no checks after {Deadline.TotalSeconds:0} s";
                await cluster.ReportAsync(null, waitedFrom, $"before kill {kill + 1} (stuck)", Console.Error);
                break;
            }
            // Every other kill, the notifier's node; else another.
            var notifier = await cluster.NotifierNodeAsync();
            var victim = kill % 2 == 0 ? notifier : (notifier + 1) % Nodes;
            var moved = await cluster.ChecksOfAsync(victim);
            if (victim == notifier) notifierKills++;
            var killedAt = DateTime.UtcNow;
            cluster.Kill(victim);
            var paths = moved.Select(id => "/" + id).ToList();
            if (!await Within(() => Task.FromResult(paths.All(p => target.FirstAfter(p, killedAt) is not null)), Deadline))
            {
                var missing = paths.Where(p => target.FirstAfter(p, killedAt) is null).ToList();
                stuck = $"kill {kill + 1} (node {victim}): {missing.Count} of the {paths.Count} moved checks not asked for within "
                        + $"{Deadline.TotalSeconds:0} s ({string.Join(", ", missing.Take(5))}); the target's last request of any check "
                        + $"{(target.Last - killedAt).TotalSeconds:0.0} s after the kill";
                await cluster.ReportAsync(victim, killedAt, $"kill {kill + 1} (never ended)", Console.Error);
                break;
            }
            times.Add(paths.Select(p => (target.FirstAfter(p, killedAt)!.Value - killedAt).TotalSeconds).DefaultIfEmpty(0).Max());
            // A slow failover shows, on stderr, what the surviving nodes logged meanwhile.
            if (times[^1] > 15) await cluster.ReportAsync(victim, killedAt, $"kill {kill + 1} ({times[^1]:0.0} s)", Console.Error);
            await cluster.StartAsync(victim);
        }
        var each = string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)));
        results.Add(stuck is null
            ? new Row("Cluster: failover after kill -9 (3 nodes)", $"median {Results.Median(times):0.0} s, max {times.Max():0.0} s",
                "<= 15 s", times.Max() <= 15,
                $"{kills} kills ({notifierKills} of the notifier's node), {checks} checks every 1 s; to the last moved check's first request; "
                + $"each kill: {each} s")
            : new Row("Cluster: failover after kill -9 (3 nodes)", $"never ended: {stuck}", "<= 15 s", false,
                $"the kills before it: {(times.Count == 0 ? "none" : each + " s")}; the nodes' lines and the partitions' holders on stderr"));
    }

    private async Task ScaleAsync(Listener tcp)
    {
        var count = quick ? 10_000 : 100_000;
        var interval = TimeSpan.FromSeconds(quick ? 10 : 60);
        // Two of the nodes' once-a-minute load reports.
        var window = TimeSpan.FromSeconds(125);
        var checks = Enumerable.Range(0, count).Select(i => $"{{ type = tcp4, hosts = [h], port = {tcp.Port}, name = \"t{i}\" }}");
        await using var cluster = await Cluster.StartAsync(picomon, dir, "scale", interval, checks);
        var started = Stopwatch.StartNew();
        await Until(async () => await cluster.RowsAsync() >= count, $"{count} checks run once", TimeSpan.FromMinutes(15));
        var ranAll = started.Elapsed;
        var from = DateTime.UtcNow;
        var measured = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(i => ProcStat.MeasureAsync(cluster.Pid(i), window)));
        var perNode = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(cluster.ChecksOfAsync));
        var overloaded = Enumerable.Range(0, Nodes).SelectMany(i => cluster.LinesSince(i, from))
            .Where(l => l.Contains("Overloaded in the last minute", StringComparison.Ordinal)).ToList();
        results.Add(new Row($"Cluster: {count:N0} checks over 3 nodes", overloaded.Count == 0 ? "no run late or skipped" : $"{overloaded.Count} overloaded minute(s)",
            "", null, $"tcp4 every {interval.TotalSeconds:0} s; from the nodes' once-a-minute load reports over {window.TotalSeconds:0} s "
                      + $"(late = started > 1 s behind); all run once {ranAll.TotalSeconds:0} s after start"
                      + (overloaded.Count == 0 ? "" : "; " + string.Join(" | ", overloaded.Select(l => l[(l.IndexOf("Overloaded", StringComparison.Ordinal))..])))));
        results.Add(new Row($"Cluster: {count:N0} checks, per node", string.Join("; ", Enumerable.Range(0, Nodes).Select(i =>
            $"{perNode[i].Count:N0} checks, {measured[i].CpuPercent:0}% CPU, {measured[i].RssMb:0} MB")), "", null, "CPU in % of one core, peak RSS"));
        await OperateAsync(cluster, count);
    }

    /// <summary>Operating the cluster at that size: <c>picomon status --json</c> and <c>/metrics</c>, each asked of one node,
    /// which asks every node.</summary>
    private async Task OperateAsync(Cluster cluster, int count)
    {
        var watch = Stopwatch.StartNew();
        var (code, json, stderr) = await cluster.RunAsync(0, "status", "--json");
        var status = watch.Elapsed;
        var listed = code == 0 ? JsonDocument.Parse(json).RootElement.GetProperty("checks").GetArrayLength() : 0;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{cluster.HttpPort(0)}"), Timeout = TimeSpan.FromMinutes(2) };
        var (scrapes, bytes) = await HttpBenchmarks.TimeAsync(client, "/metrics", quick ? 2 : 5);
        results.Add(new Row($"Cluster: {count:N0} checks, status and /metrics",
            $"status {status.TotalSeconds:0.0} s; /metrics median {Results.Median(scrapes) / 1000:0.0} s, max {scrapes.Max() / 1000:0.0} s",
            $"status lists all {count:N0}", listed == count,
            (code == 0 ? $"status --json listed {listed:N0} checks" : $"status exited {code}: {stderr.Trim()}")
            + $"; {scrapes.Count} scrapes of {bytes / 1048576.0:0.0} MB; each asked of one node, which asks every node"));
    }

    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what, Deadline);

    private static async Task Until(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        if (!await Within(condition, within)) throw new TimeoutException($"cluster benchmark: not within {within}: {what}");
    }

    /// <summary>Whether <paramref name="condition"/> came true within <paramref name="within"/>.</summary>
    private static async Task<bool> Within(Func<Task<bool>> condition, TimeSpan within)
    {
        var until = Stopwatch.StartNew();
        while (!await condition())
        {
            if (until.Elapsed > within) return false;
            await Task.Delay(100);
        }
        return true;
    }

    /// <summary>Three nodes of one configuration, each in its own directory, its own <c>cluster.listen</c> from the
    /// environment; which node runs what is read from PostgreSQL.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _picomon, _home, _database;
        private readonly int[] _ports;
        private readonly int[] _httpPorts = Enumerable.Range(0, Nodes).Select(_ => DnsmasqServer.FreePort()).ToArray();
        private readonly Process?[] _nodes = new Process?[Nodes];
        private readonly ConcurrentQueue<(DateTime At, string Line)>[] _lines = Enumerable.Range(0, Nodes).Select(_ => new ConcurrentQueue<(DateTime, string)>()).ToArray();

        private Cluster(string picomon, string home, string database, int[] ports) =>
            (_picomon, _home, _database, _ports) = (picomon, home, database, ports);

        public static async Task<Cluster> StartAsync(string picomon, string dir, string name, TimeSpan baseTick,
            IEnumerable<string> checks)
        {
            var ports = Enumerable.Range(0, Nodes).Select(_ => DnsmasqServer.FreePort()).ToArray();
            var database = await PostgresServer.Shared.CreateDatabaseAsync();
            var home = Directory.CreateDirectory(Path.Combine(dir, $"cluster-{name}")).FullName;
            await File.WriteAllTextAsync(Path.Combine(home, "cluster.conf"), $$"""
                picomon {
                  base-tick = {{baseTick.TotalSeconds}}s, default-timeout = 2s, verb-level = INFO
                  state-dir = "./state"
                  hosts { h { ipv4 = "127.0.0.1" } }
                  checks = [
                {{string.Join("\n", checks)}}
                  ]
                  http.listen = ${?PICOMON_HTTP_LISTEN}
                  cluster {
                    enabled = true
                    listen = ${?PICOMON_CLUSTER_LISTEN}
                    seeds = [{{string.Join(", ", ports.Select(p => $"\"127.0.0.1:{p}\""))}}]
                    database = "{{database}}"
                  }
                }
                """);
            var cluster = new Cluster(picomon, home, database, ports);
            await Task.WhenAll(Enumerable.Range(0, Nodes).Select(cluster.StartAsync));
            return cluster;
        }

        public int Pid(int i) => _nodes[i]!.Id;

        /// <summary>Node <paramref name="i"/>'s <c>http.listen</c> port.</summary>
        public int HttpPort(int i) => _httpPorts[i];

        /// <summary>Runs a picomon command against node <paramref name="i"/> (in its directory, so its control socket).</summary>
        public Task<(int Code, string Out, string Err)> RunAsync(int i, params string[] args) =>
            PicomonBinary.RunAsync(_picomon, [.. args, "-c", Path.Combine(_home, "cluster.conf")], TimeSpan.FromMinutes(5), NodeHome(i));

        private string NodeHome(int i) => Directory.CreateDirectory(Path.Combine(_home, $"node{i}")).FullName;

        /// <summary>What node <paramref name="i"/> wrote on stderr since <paramref name="from"/>.</summary>
        public IEnumerable<string> LinesSince(int i, DateTime from) => _lines[i].Where(l => l.At >= from).Select(l => l.Line);

        /// <summary>Starts node <paramref name="i"/> and returns once it is up in the cluster.</summary>
        public async Task StartAsync(int i)
        {
            var home = NodeHome(i);
            var info = new ProcessStartInfo(_picomon, ["-c", Path.Combine(_home, "cluster.conf")])
            {
                WorkingDirectory = home, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
            };
            info.Environment["PICOMON_CLUSTER_LISTEN"] = $"127.0.0.1:{_ports[i]}";
            info.Environment["PICOMON_HTTP_LISTEN"] = $"127.0.0.1:{HttpPort(i)}";
            var node = Process.Start(info)!;
            var up = new TaskCompletionSource();
            node.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                _lines[i].Enqueue((DateTime.UtcNow, e.Data));
                if (e.Data.Contains("this node is up in the cluster")) up.TrySetResult();
            };
            node.BeginErrorReadLine();
            node.OutputDataReceived += (_, _) => { };
            node.BeginOutputReadLine();
            _nodes[i] = node;
            // A node that exits or never comes up breaks the suite with what it said, not a bare timeout.
            var ended = node.WaitForExitAsync();
            if (await Task.WhenAny(up.Task, ended, Task.Delay(TimeSpan.FromMinutes(5))) != up.Task)
                throw new InvalidOperationException($"cluster benchmark: node {i} " + (ended.IsCompleted ? $"exited with {node.ExitCode}" : "was not up within 5 minutes")
                    + " before it was up in the cluster; its last lines:\n" + string.Join("\n", _lines[i].TakeLast(30).Select(l => l.Line)));
        }

        public void Kill(int i)
        {
            _nodes[i]!.Kill();
            _nodes[i]!.WaitForExit();
            _nodes[i]!.Dispose();
            _nodes[i] = null;
        }

        private string OwnerPrefix(int i) => $"akka.tcp://picomon@127.0.0.1:{_ports[i]}#%";

        public async Task<IReadOnlyList<string>> ChecksOfAsync(int i) =>
            await QueryAsync<string>("SELECT c.id FROM checks c JOIN partitions p USING (partition) WHERE p.owner LIKE @o", OwnerPrefix(i));

        /// <summary>Writes what the nodes (other than <paramref name="victim"/>, if any) logged since <paramref name="from"/>, and
        /// the partitions' owners as PostgreSQL has them.</summary>
        public async Task ReportAsync(int? victim, DateTime from, string what, TextWriter to)
        {
            foreach (var node in Enumerable.Range(0, Nodes).Where(n => n != victim))
                foreach (var line in LinesSince(node, from))
                    await to.WriteLineAsync($"cluster benchmark: {what}, node {node}: {line}");
            foreach (var owner in await QueryAsync<string>("SELECT partition || ' epoch ' || epoch || ' ' || coalesce(owner, '-') || ' ' || coalesce(heartbeat_at::text, '-') FROM partitions ORDER BY partition"))
                await to.WriteLineAsync($"cluster benchmark: {what}, partition {owner}");
        }

        public async Task<int> NotifierNodeAsync()
        {
            for (var i = 0; i < Nodes; i++)
                if ((await QueryAsync<int>("SELECT partition FROM partitions WHERE partition = -1 AND owner LIKE @o", OwnerPrefix(i))).Count > 0)
                    return i;
            throw new InvalidOperationException("no node holds the notifier");
        }

        public async Task<long> RowsAsync() => (await QueryAsync<long>("SELECT count(*) FROM checks")).Single();

        private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, string? owner = null)
        {
            await using var connection = new NpgsqlConnection(_database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            if (owner is not null) command.Parameters.AddWithValue("o", owner);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync()) rows.Add(reader.GetFieldValue<T>(0));
            return rows;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var node in _nodes.OfType<Process>())
            {
                node.Kill();
                await node.WaitForExitAsync();
                node.Dispose();
            }
        }
    }

    /// <summary>An HTTP/1.1 target on loopback that answers 200 to anything and records when each path was asked for.</summary>
    private sealed class RecordingTarget : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTime>> _hits = new();
        private readonly CancellationTokenSource _stop = new();

        public RecordingTarget()
        {
            _listener.Start(1024);
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Count(string path) => _hits.TryGetValue(path, out var hits) ? hits.Count : 0;

        /// <summary>When any path was last asked for.</summary>
        public DateTime Last => _hits.Values.Select(hits => hits.LastOrDefault()).DefaultIfEmpty().Max();

        public DateTime? FirstAfter(string path, DateTime time) =>
            _hits.TryGetValue(path, out var hits) ? hits.Where(t => t > time).Cast<DateTime?>().FirstOrDefault() : null;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // A failed accept (a connection reset before it was taken, its node killed; EMFILE) fails that
                    // connection, not the target: it keeps recording, as the suite's other listeners keep serving.
                    if (_stop.IsCancellationRequested) return;
                    await Task.Delay(10);
                    continue;
                }
                _ = AnswerAsync(client);
            }
        }

        private async Task AnswerAsync(TcpClient client)
        {
            using var _ = client;
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                var request = await reader.ReadLineAsync(_stop.Token) ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync(_stop.Token))) { }
                var path = request.Split(' ') is [_, var p, ..] ? p : "";
                _hits.GetOrAdd(path, _ => new ConcurrentQueue<DateTime>()).Enqueue(DateTime.UtcNow);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away: nothing to record.
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
