using Picomon.Configuration;

namespace Picomon.Tests.Configuration;

public class ClusterSettingsTests
{
    private static PicomonSettings Load(string hocon, Func<string, string?>? environment = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-cluster-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, environment ?? (_ => null)); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_cluster_is_off_by_default()
    {
        var cluster = Load("").Cluster;
        Assert.False(cluster.Enabled);
        Assert.Equal(ClusterSettings.Off, cluster);
    }

    [Fact]
    public void An_enabled_cluster_reads_its_listen_address_seeds_and_database()
    {
        var cluster = Load("""
            picomon.cluster {
              enabled = true
              listen = "10.0.0.1:4054"
              seeds = ["10.0.0.1:4053", "[fd00::2]:4053", "node3.example.org:4060"]
              database = "Host=db.example.org;Database=picomon;Username=picomon"
            }
            """).Cluster;
        Assert.True(cluster.Enabled);
        Assert.Equal(("10.0.0.1", 4054), cluster.Listen);
        Assert.Equal([("10.0.0.1", 4053), ("fd00::2", 4053), ("node3.example.org", 4060)], cluster.Seeds);
        Assert.Equal("Host=db.example.org;Database=picomon;Username=picomon", cluster.Database);
    }

    [Fact]
    public void The_database_password_comes_from_the_environment_and_is_never_printed()
    {
        var cluster = Load("""
            picomon.cluster {
              enabled = true, seeds = ["127.0.0.1:4053"]
              database = "Host=db;Username=picomon;Password="${?PICOMON_DB_PASSWORD}
            }
            """, name => name == "PICOMON_DB_PASSWORD" ? "s3cret!" : null).Cluster;
        Assert.Equal("Host=db;Username=picomon;Password=s3cret!", cluster.Database);
        Assert.DoesNotContain("s3cret!", cluster.ToString());
        Assert.DoesNotContain("s3cret!", (Load("") with { Cluster = cluster }).ToString());
    }

    [Fact]
    public void Node_names_bracket_ipv6_addresses()
    {
        Assert.Equal("127.0.0.1:4053", ClusterSettings.NodeName("127.0.0.1", 4053));
        Assert.Equal("[::1]:4053", ClusterSettings.NodeName("::1", 4053));
    }
}
