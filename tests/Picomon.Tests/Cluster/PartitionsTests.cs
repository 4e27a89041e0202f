using Picomon.Cluster;

namespace Picomon.Tests.Cluster;

public class PartitionsTests
{
    [Theory]
    // FNV-1a 32-bit of the UTF-8 bytes, modulo 64: fixed values, so that every node and every version agree.
    [InlineData("", 2166136261u % 64)]
    [InlineData("a", 0xe40c292cu % 64)]
    [InlineData("foobar", 0xbf9cf968u % 64)]
    public void The_hash_is_fnv1a_of_the_utf8_id(string id, uint expected) =>
        Assert.Equal((int)expected, Partitions.Of(id));

    [Fact]
    public void Ten_thousand_ids_spread_over_every_partition_within_a_third_of_the_mean()
    {
        var counts = Enumerable.Range(0, 10_000).GroupBy(i => Partitions.Of($"http4/web-{i}")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Partitions.Count, counts.Count);
        var mean = 10_000.0 / Partitions.Count;
        Assert.All(counts.Values, n => Assert.InRange(n, mean * 2 / 3, mean * 4 / 3));
    }

    [Fact]
    public void Non_ascii_ids_hash_their_utf8_bytes() =>
        Assert.NotEqual(Partitions.Of("http4/wéb"), Partitions.Of("http4/web"));
}
