using Picomon.Checks;
using Picomon.Cli;
using Picomon.Configuration;

namespace Picomon.Tests.Configuration;

/// <summary>depends-on, ok-after, flap detection and maintenance windows as read from a file. (Their errors are in
/// testdata/config/bad: depends-on-*, flapping-bad, maintenance-bad.)</summary>
public class AlertQualitySettingsTests
{
    private static PicomonSettings Load(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-quality-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, _ => null); }
        finally { File.Delete(path); }
    }

    private const string Config = """
        picomon {
          default-flap-high = 0.5
          hosts {
            router { ipv4 = "127.0.0.1" }
            web { ipv4 = "127.0.0.2", depends-on = ["tcp4/router"] }
          }
          checks = [
            { type = tcp4, hosts = [router], port = 1 }
            { type = [tcp4, http4], hosts = [web], port = 2, ok-after = 3, flap-window = 10, flap-low = 0.2 }
            { type = http4, hosts = ["127.0.0.3"], depends-on = ["*/web", "tcp4/router"] }
          ]
          maintenance = [
            { name = backup, checks = ["http4/*"], cron = "0 2 * * SUN", duration = 1h, time-zone = "Europe/Paris" }
            { name = move, checks = ["*"], start = "2026-12-01T22:00:00+01:00", duration = 3h }
          ]
        }
        """;

    [Fact]
    public void Without_the_keys_every_check_has_the_reference_rules_and_nothing_depends_or_is_maintained()
    {
        var settings = Load("picomon.checks = [ { type = tcp4, hosts = [\"127.0.0.1\"], port = 1 } ]");
        Assert.Equal(new AlertRules(1, 0, 0.30, 0.25), Assert.Single(settings.Checks).Rules);
        Assert.Equal(0, settings.Dependencies.DependentCount);
        Assert.Empty(settings.Maintenance);
        var summary = ConfigSummary.Render(settings);
        Assert.DoesNotContain("dependencies", summary);
        Assert.DoesNotContain("flap", summary);
        Assert.DoesNotContain("maintenance", summary);
    }

    [Fact]
    public void Group_options_override_the_defaults_and_groups_without_them_share_the_default_record()
    {
        var checks = Load(Config).Checks.ToDictionary(c => c.Id);
        Assert.Equal(new AlertRules(3, 10, 0.5, 0.2), checks["tcp4/web"].Rules);
        Assert.Same(checks["tcp4/web"].Rules, checks["http4/web"].Rules);
        Assert.Equal(new AlertRules(1, 0, 0.5, 0.25), checks["tcp4/router"].Rules);
        Assert.Same(checks["tcp4/router"].Rules, checks["http4/127.0.0.3"].Rules);
    }

    [Fact]
    public void A_host_depends_on_applies_to_its_checks_and_globs_resolve_to_ids_without_the_check_itself()
    {
        var graph = Load(Config).Dependencies;
        Assert.Equal(["tcp4/router"], graph.ParentsOf("tcp4/web"));
        Assert.Equal(["tcp4/router"], graph.ParentsOf("http4/web"));
        Assert.Equal(["http4/web", "tcp4/web", "tcp4/router"], graph.ParentsOf("http4/127.0.0.3"));
        Assert.Empty(graph.ParentsOf("tcp4/router"));
        Assert.Equal(["http4/127.0.0.3", "http4/web", "tcp4/web"], graph.ChildrenOf("tcp4/router"));
    }

    [Fact]
    public void Maintenance_windows_are_read_with_their_zone_or_their_fixed_start_and_summarised()
    {
        var settings = Load(Config);
        var backup = settings.Maintenance[0];
        Assert.Equal(("backup", "Europe/Paris", TimeSpan.FromHours(1)), (backup.Name, backup.Zone.Id, backup.Duration));
        Assert.True(backup.Matches("http4/web"));
        Assert.False(backup.Matches("tcp4/web"));
        var move = settings.Maintenance[1];
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T21:00:00Z"), move.Start);
        Assert.Null(move.Cron);
        var summary = ConfigSummary.Render(settings);
        Assert.Contains("  dependencies: 3 checks with depends-on\n", summary);
        Assert.Contains("  flap detection: 2 checks\n", summary);
        Assert.Contains("  maintenance backup: http4/* (2 checks), cron '0 2 * * 0' Europe/Paris, for 1h\n", summary);
        Assert.Contains("  maintenance move: * (4 checks), from 2026-12-01T22:00:00+01:00, for 3h\n", summary);
    }
}
