using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Picomon.Actors;
using Picomon.Checks;

namespace Picomon.Cluster;

/// <summary>The one serializer of Picomon's messages between nodes: a short, fixed manifest per type (so a renamed
/// class does not change the wire format) and System.Text.Json with source-generated metadata (no reflection, no CLR
/// type names on the wire). Every type it takes is in <see cref="Manifests"/>; <see cref="Hocon"/> binds them.</summary>
public sealed class ClusterSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka reserves 0–40; any other fixed number, the same on every node.</summary>
    public const int Id = 7315;

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(NotifierActor.PendingQueued)] = "pending-queued",
        [typeof(StateSnapshot)] = "snapshot",
        [typeof(NodeProtocol.GetRows)] = "get-rows",
        [typeof(NodeProtocol.Rows)] = "rows",
        [typeof(NodeProtocol.RunNow)] = "run-now",
        [typeof(NodeProtocol.RunStarted)] = "run-started",
        [typeof(NodeProtocol.PrepareReload)] = "prepare-reload",
        [typeof(NodeProtocol.ReloadPrepared)] = "reload-prepared",
        [typeof(NodeProtocol.ApplyReload)] = "apply-reload",
        [typeof(NodeProtocol.ReloadApplied)] = "reload-applied",
        [typeof(NodeProtocol.GetDigest)] = "get-digest",
        [typeof(NodeProtocol.Digest)] = "digest",
        [typeof(NodeProtocol.SilencesChanged)] = "silences-changed",
        [typeof(NodeProtocol.SilencesApplied)] = "silences-applied",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key);

    /// <summary>The types this serializer carries, for the tests.</summary>
    public static IReadOnlyCollection<Type> Carried => Manifests.Keys;

    /// <summary>The serializer and its bindings, for the cluster's Akka configuration.</summary>
    public static string Hocon =>
        $$"""
        akka.actor.serializers.picomon = "{{typeof(ClusterSerializer).FullName}}, {{typeof(ClusterSerializer).Assembly.GetName().Name}}"
        akka.actor.serialization-bindings {
        {{string.Join("\n", Manifests.Keys.Select(t => $"  \"{t.FullName}, {t.Assembly.GetName().Name}\" = picomon"))}}
        }
        """;

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest) ? manifest : throw Unknown(o.GetType().FullName);

    public override byte[] ToBinary(object obj) => obj switch
    {
        NotifierActor.PendingQueued => [],
        _ when Manifests.ContainsKey(obj.GetType()) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), ClusterJson.Default),
        _ => throw Unknown(obj.GetType().FullName),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type)) throw Unknown(manifest);
        if (type == typeof(NotifierActor.PendingQueued)) return NotifierActor.PendingQueued.Instance;
        return JsonSerializer.Deserialize(bytes, type, ClusterJson.Default)
               ?? throw new SerializationException($"null {manifest} message");
    }

    private static SerializationException Unknown(string? what) =>
        new($"Picomon's cluster serializer does not carry '{what}' (a newer or older node?)");
}

/// <summary>The source-generated JSON metadata of the messages between nodes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StateSnapshot))]
[JsonSerializable(typeof(NodeProtocol.GetRows))]
[JsonSerializable(typeof(NodeProtocol.Rows))]
[JsonSerializable(typeof(NodeProtocol.RunNow))]
[JsonSerializable(typeof(NodeProtocol.RunStarted))]
[JsonSerializable(typeof(NodeProtocol.PrepareReload))]
[JsonSerializable(typeof(NodeProtocol.ReloadPrepared))]
[JsonSerializable(typeof(NodeProtocol.ApplyReload))]
[JsonSerializable(typeof(NodeProtocol.ReloadApplied))]
[JsonSerializable(typeof(NodeProtocol.GetDigest))]
[JsonSerializable(typeof(NodeProtocol.SilencesChanged))]
[JsonSerializable(typeof(NodeProtocol.SilencesApplied))]
[JsonSerializable(typeof(NodeProtocol.Digest))]
internal sealed partial class ClusterJson : JsonSerializerContext;
