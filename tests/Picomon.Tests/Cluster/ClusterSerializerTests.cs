using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Cluster;

namespace Picomon.Tests.Cluster;

/// <summary>Every message that crosses nodes goes through <see cref="ClusterSerializer"/> (bound by its HOCON, as a
/// cluster node binds it) and comes back equal; the manifests are fixed strings; an unknown manifest is a clear error.</summary>
public sealed class ClusterSerializerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 2, 3, 456, TimeSpan.FromHours(1));

    private static readonly CheckState Row = new("http4/web", CheckStatus.Error, T0, 3, "HTTP 503 Service Unavailable\nline 2", T0.AddMinutes(-1),
        T0.AddSeconds(5), TimeSpan.FromMilliseconds(12.5), 4);

    /// <summary>One example of each carried type; the test below checks that none is missing.</summary>
    private static readonly object[] Examples =
    [
        NotifierActor.PendingQueued.Instance,
        new StateSnapshot(T0, [Row, Row with { Id = "ping4/router", Status = CheckStatus.Ok, ErrorSince = null, LastRun = null, LastDuration = null }]),
        new NodeProtocol.GetRows(),
        new NodeProtocol.Rows("127.0.0.1:4053", [Row]),
        new NodeProtocol.RunNow(["http4/*", "tcp4/db"]),
        new NodeProtocol.RunNow(null),
        new NodeProtocol.RunStarted(7),
        new NodeProtocol.PrepareReload(),
        new NodeProtocol.ReloadPrepared("127.0.0.1:4054", "abc123", []),
        new NodeProtocol.ReloadPrepared("127.0.0.1:4054", null, ["picomon: config error: a.conf:3: picomon.checks: bad"]),
        new NodeProtocol.ApplyReload("abc123"),
        new NodeProtocol.ReloadApplied("127.0.0.1:4055", true),
        new NodeProtocol.GetDigest(),
        new NodeProtocol.Digest("127.0.0.1:4055", "abc123"),
        new NodeProtocol.SilencesChanged(),
        new NodeProtocol.SilencesApplied("127.0.0.1:4055"),
    ];

    private readonly ActorSystem _system = ActorSystem.Create("serializer", ConfigurationFactory.ParseString(ClusterSerializer.Hocon));

    public static TheoryData<int> Indexes => new(Enumerable.Range(0, Examples.Length));

    [Theory]
    [MemberData(nameof(Indexes))]
    public void Each_cross_node_message_round_trips_through_the_bound_serializer(int index)
    {
        var message = Examples[index];
        var serialization = _system.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<ClusterSerializer>(serializer);

        var bytes = serializer.ToBinary(message);
        var back = serialization.Deserialize(bytes, serializer.Identifier, Serialization.ManifestFor(serializer, message));

        Assert.Equal(Describe(message), Describe(back));
    }

    [Fact]
    public async Task With_serialize_messages_on_each_message_sent_to_an_actor_arrives_as_it_was_sent()
    {
        using var system = ActorSystem.Create("verified", ConfigurationFactory.ParseString(
            "akka.actor.serialize-messages = on\n" + ClusterSerializer.Hocon));
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        foreach (var message in Examples)
            Assert.Equal(Describe(message), Describe(await echo.Ask<object>(message, TimeSpan.FromSeconds(10))));
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    [Fact]
    public void Every_carried_type_has_an_example() =>
        Assert.Equal(ClusterSerializer.Carried.OrderBy(t => t.FullName), Examples.Select(e => e.GetType()).Distinct().OrderBy(t => t.FullName));

    [Fact]
    public void An_unknown_manifest_is_refused_with_a_clear_error()
    {
        var serializer = (ClusterSerializer)_system.Serialization.FindSerializerForType(typeof(NodeProtocol.GetRows));
        var error = Assert.ThrowsAny<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "no-such"));
        Assert.Contains("'no-such'", error.Message);
    }

    /// <summary>Records compare their lists by reference: compare them by their JSON-like rendering instead.</summary>
    private static string Describe(object message) => message switch
    {
        StateSnapshot s => $"{s.TakenAt:o} [{string.Join(", ", s.Checks)}]",
        NodeProtocol.Rows r => $"{r.Node} [{string.Join(", ", r.Checks)}]",
        NodeProtocol.RunNow r => r.Patterns is null ? "all" : string.Join(", ", r.Patterns),
        NodeProtocol.ReloadPrepared p => $"{p.Node} {p.Digest} [{string.Join(", ", p.Errors)}]",
        _ => message.ToString()!,
    } + message.GetType().Name;

    public void Dispose() => _system.Dispose();
}
