using Picomon.Checks;

namespace Picomon.Cluster;

/// <summary>A message that crosses nodes: serialized by <see cref="ClusterSerializer"/>, never by reflection.</summary>
public interface IClusterMessage;

/// <summary>What one node asks of another's <see cref="NodeAgent"/> (at <see cref="NodeAgent.Path"/>): the rows of the
/// checks it runs, runs now, the two steps of a cluster-wide reload, its configuration's digest, and news of the silences.</summary>
public static class NodeProtocol
{
    /// <summary>Asks for the rows of the checks the node runs; answered by <see cref="Rows"/>.</summary>
    public sealed record GetRows : IClusterMessage;

    /// <param name="Node">The node's name (<c>host:port</c>).</param>
    /// <param name="Checks">The state rows of every check of the partitions it runs.</param>
    public sealed record Rows(string Node, IReadOnlyList<CheckState> Checks) : IClusterMessage;

    /// <summary>The node's checks matching <paramref name="Patterns"/> (every check when null) run now; answered by
    /// <see cref="RunStarted"/>.</summary>
    public sealed record RunNow(IReadOnlyList<string>? Patterns) : IClusterMessage;

    public sealed record RunStarted(int Matched) : IClusterMessage;

    /// <summary>First step of a reload: the node reads and validates its own file and keeps what it read; answered by
    /// <see cref="ReloadPrepared"/> with the digest of what it read, or its errors.</summary>
    public sealed record PrepareReload : IClusterMessage;

    public sealed record ReloadPrepared(string Node, string? Digest, IReadOnlyList<string> Errors) : IClusterMessage;

    /// <summary>Second step: every node read the same configuration (<paramref name="Digest"/>): apply what was read;
    /// answered by <see cref="ReloadApplied"/>.</summary>
    public sealed record ApplyReload(string Digest) : IClusterMessage;

    public sealed record ReloadApplied(string Node, bool Applied) : IClusterMessage;

    /// <summary>Asks for the digest of the configuration the node runs; answered by <see cref="Digest"/>.</summary>
    public sealed record GetDigest : IClusterMessage;

    public sealed record Digest(string Node, string Value) : IClusterMessage;

    /// <summary>A silence was added or expired on some node: the node's partitions look at the silences again;
    /// answered by <see cref="SilencesApplied"/> once they have.</summary>
    public sealed record SilencesChanged : IClusterMessage;

    public sealed record SilencesApplied(string Node) : IClusterMessage;
}
