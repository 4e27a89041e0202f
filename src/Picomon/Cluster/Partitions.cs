using System.Text;

namespace Picomon.Cluster;

/// <summary>Which partition runs a check. The checks are spread over a fixed number of partitions (not one sharded
/// entity per check, so 100,000 checks are 64 entities for the cluster to place); a partition is what moves between
/// nodes. The hash is FNV-1a of the id's UTF-8 bytes: stable across processes, runtimes and versions, unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process.</summary>
public static class Partitions
{
    /// <summary>How many partitions the cluster has; every node must agree, so it is not a setting.</summary>
    public const int Count = 64;

    public static int Of(string checkId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(checkId))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % Count);
    }
}
