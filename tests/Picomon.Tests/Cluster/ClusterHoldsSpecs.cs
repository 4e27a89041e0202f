using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Cluster;
using Picomon.State;
using Picomon.Tests.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Cluster;

/// <summary>A cluster node's silence and ack commands, against a real PostgreSQL: what one node writes, every
/// partition's store reads, and the nodes are told to look again.</summary>
public sealed class ClusterHoldsSpecs(ITestOutputHelper output) : ActorSpec(output), IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    Task IAsyncLifetime.DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task A_silence_added_and_expired_on_a_node_is_the_partitions_and_the_command_answers_once_every_node_applied_it()
    {
        var broadcast = CreateTestProbe();
        var holds = Sys.ActorOf(ClusterHolds.Props(_db.DataSource, broadcast));

        // The command answers once the nodes have applied the silence.
        var adding = holds.Ask<Silence>(new StateAggregator.AddSilence(["http4/*"], TimeSpan.FromHours(1), "move"));
        await broadcast.ExpectMsgAsync<NodeProtocol.SilencesChanged>();
        Assert.False(adding.IsCompleted);
        broadcast.Reply(new NodeProtocol.SilencesApplied("127.0.0.1:4053"));
        var silence = await adding;
        var partition = _db.OpenStore(_db.Take(7, "node-b"));
        Assert.Equal([silence.Id], partition.Holds.LoadSilences().Select(s => s.Id));
        Assert.Equal([silence.Id], (await holds.Ask<StateAggregator.SilenceList>(StateAggregator.ListSilences.Instance)).Silences.Select(s => s.Id));

        var expiring = holds.Ask<StateAggregator.SilenceExpired>(new StateAggregator.ExpireSilence(silence.Id));
        await broadcast.ExpectMsgAsync<NodeProtocol.SilencesChanged>();
        broadcast.Reply(new NodeProtocol.SilencesApplied("127.0.0.1:4053"));
        Assert.True((await expiring).Found);
        Assert.False((await holds.Ask<StateAggregator.SilenceExpired>(new StateAggregator.ExpireSilence(silence.Id))).Found);
        Assert.Empty(partition.Holds.LoadSilences());
    }

    [Fact]
    public async Task An_ack_reads_the_checks_row_whichever_partition_wrote_it_and_is_refused_without_an_open_incident()
    {
        var holds = Sys.ActorOf(ClusterHolds.Props(_db.DataSource, CreateTestProbe()));
        var partition = _db.OpenStore(_db.Take(3, "node-c"));
        var at = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        partition.SaveCheck(new StoredCheck("http4/web", CheckStatus.Error, at, 1, "down", at, 2));
        partition.SaveCheck(new StoredCheck("tcp4/db", CheckStatus.Ok, at, 0, "", null, 1));

        var acked = await holds.Ask<StateAggregator.Acknowledged>(new StateAggregator.Acknowledge("http4/web", "on it"));
        var refused = await holds.Ask<StateAggregator.Acknowledged>(new StateAggregator.Acknowledge("tcp4/db", ""));

        Assert.Equal("http4/web#2", acked.Ack?.Incident);
        Assert.Equal(["http4/web#2"], partition.Holds.LoadAcks().Select(a => a.Incident));
        Assert.Equal("'tcp4/db' has no open incident (it is not in error)", refused.Refusal);
    }
}
