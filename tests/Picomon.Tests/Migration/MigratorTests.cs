using Picomon.Probes;
using Microsoft.Extensions.Logging;
using Picomon.Configuration;
using Picomon.Migration;
using Picomon.Tests.Configuration;

namespace Picomon.Tests.Migration;

/// <summary><c>picomon migrate</c>'s conversion end to end: the original config runs in Debian's python3
/// against the stand-in, and the HOCON written is loaded with Picomon's own loader and compared with
/// what the original config defined.</summary>
public class MigratorTests
{
    // Debian's interpreter; the command itself takes the first python3 on PATH (see PythonStandInTests).
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_original_sample_converts_to_its_hand_migration()
    {
        var (hocon, migrated, _) = await ConvertAsync(Data("config-sample.py"));
        var hand = ConfigLoader.Load(Path.Combine(ConfigFileTests.RepositoryRoot(), "hocon/examples/original-sample.conf"));

        Assert.StartsWith($"# Converted by `picomon migrate` from {Data("config-sample.py")},", hocon);
        Assert.Equal(["ping4/localhost", "ping4/h1", "ping6/localhost", "ping6/h1"], migrated.Checks.Select(c => c.Id));
        Assert.Equal(hand.Checks, migrated.Checks);
        // The hand migration adds a host `web` for the sample's commented-out HTTP checks.
        Assert.Equal(hand.Hosts.Where(h => h.Key != "web").OrderBy(h => h.Key), migrated.Hosts.OrderBy(h => h.Key));
        Assert.Equal(["me@localhost", "them@localhost"], migrated.Emails.To);
        Assert.Equal(hand.Emails with { To = migrated.Emails.To }, migrated.Emails);
        Assert.Equal(hand.BaseTick, migrated.BaseTick);
        Assert.Equal(hand.VerbLevel, migrated.VerbLevel);
    }

    [Fact]
    public async Task Every_class_option_and_setting_of_the_original_is_kept()
    {
        var (_, settings, output) = await ConvertAsync(Data("everything.py"));

        Assert.Equal("everything.py: 25 checks\n", output.ReplaceLineEndings("\n"));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.BaseTick);
        Assert.Equal(LogLevel.Debug, settings.VerbLevel);
        var emails = settings.Emails;
        Assert.Equal(["ops@example.org", "oncall@example.org"], emails.To);
        Assert.Equal(("Picomon <picomon@example.org>", "mail.example.org", 587), (emails.AddrFrom, emails.SmtpHost, emails.SmtpPort));
        Assert.Equal((TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(150)), (emails.SmtpKeepaliveTimeout, emails.SmtpRetryTimeout));
        Assert.Equal(("[ops] {state}: {check} on {dest}", TimeSpan.FromHours(6)), (emails.SubjectTemplate, emails.ReportEvery));
        Assert.Equal(("[ops] still failing", "[ops] picomon stopped"), (emails.ReportSubject, emails.WatchdogSubject));

        // (id, every, error-every, retry, timeout) as the original resolved them when each check was built:
        // default_every was 2 and default_error_every 4 then (the config sets default_every to 7 at the end).
        Assert.Equal(
        [
            ("ping4/web", 5, 4, 2, 2.0), ("ping6/web", 5, 4, 2, 2.0),
            ("ping4/router", 2, 4, 1, 1.5), ("ping4/edge-1", 2, 4, 1, 1.5), ("ping4/edge-2", 2, 4, 1, 1.5), ("ping4/edge-3", 2, 4, 1, 1.5),
            ("dns-zone/example.net", 120, 4, 1, 2.0), ("dns-zone/example.org", 120, 4, 1, 2.0),
            ("dns-rec4/router", 2, 2, 1, 2.0), ("dns-rec6/resolver6", 2, 4, 1, 2.0),
            ("http4/web", 2880, 4, 1, 2.0), ("http6/web", 2880, 4, 1, 2.0),
            ("http4/web-2", 1440, 4, 1, 2.0), ("http6/web-2", 1440, 4, 1, 2.0),
            ("https4/web", 2, 1, 1, 2.0), ("https6/web", 2, 1, 1, 2.0),
            ("smtp4/mx1", 60, 4, 1, 15.0), ("smtp6/mx1", 60, 4, 1, 15.0),
            ("smtp4/mx1-2", 1440, 4, 1, 15.0), ("smtp6/mx1-2", 1440, 4, 1, 15.0),
            ("openvpn4/web", 2, 4, 0, 2.0), ("openvpn6/web", 2, 4, 0, 2.0),
            ("jabber4/xmpp", 2, 4, 1, 2.0), ("jabber6/xmpp", 2, 4, 1, 2.0),
            ("ping6/resolver6", 3, 4, 1, 2.0),
        ], settings.Checks.Select(c => (c.Id, c.Every, c.ErrorEvery, c.Retry, c.Timeout.TotalSeconds)));

        var check = settings.Checks.ToDictionary(c => c.Id);
        Assert.Equal(4, ((DnsZoneOptions)check["dns-zone/example.net"].Options).IpVersion);
        Assert.Equal("zone 'example.org'", check["dns-zone/example.org"].Target.Name);
        Assert.Equal("resolver", check["dns-rec6/resolver6"].Target.Name);
        Assert.Equal("www.example.org", check["http6/web"].Target.Name);
        Assert.Equal((302, "www.example.org"), (((HttpOptions)check["http4/web"].Options).Status, ((HttpOptions)check["http4/web"].Options).Vhost));
        var page = (HttpOptions)check["http6/web-2"].Options;
        Assert.Equal(("hello world", "/summary/router-edge/ipv4"), (page.Expected, page.Url));
        Assert.Equal(200, ((HttpOptions)check["https4/web"].Options).Status);
        foreach (var (id, response) in new[] { ("smtp4/mx1", "(250)"), ("smtp6/mx1-2", "554") })
        {
            var smtp = (SmtpOptions)check[id].Options;
            Assert.Equal(("picomon@example.com", "RCPT TO: postmaster@example.net", response),
                         (smtp.FromAddr, smtp.Command, smtp.Response.ToString()));
        }
        Assert.Equal(("198.51.100.2", "edge 2"), (check["ping4/edge-2"].Target.Address, check["ping4/edge-2"].Target.Name));
        Assert.Equal(("2001:db8::25", "192.0.2.25/2001:db8::25"), (check["smtp6/mx1"].Target.Address, check["smtp6/mx1"].Target.Name));
    }

    [Fact]
    public async Task Groups_follow_the_checks_add_calls_and_timing_is_written_where_it_matters()
    {
        var (hocon, _, _) = await ConvertAsync(Data("everything.py"));
        var file = Data("everything.py");

        Assert.Contains($"    # {file}:32\n    {{ type = [ping4, ping6], hosts = [web], retry = 2, every = 5 }}\n", hocon);
        Assert.Contains("{ type = ping4, hosts = [router, edge-1, edge-2, edge-3], timeout = 1.5s, every = 2 }", hocon);
        Assert.Contains("{ type = dns-rec4, hosts = [router], error-every = -1, every = 2 }", hocon);
        Assert.Contains("{ type = [https4, https6], hosts = [web], status = 200, vhost = \"www.example.org\", error-every = 1, every = 2 }", hocon);
        Assert.Contains("    report.every = 21600s\n", hocon);
        Assert.Contains("    web       { ipv4 = \"192.0.2.80\", ipv6 = \"2001:db8::80\", name = \"www.example.org\" }\n", hocon);
        Assert.Contains("    resolver6 { ipv6 = \"2001:db8::53\" }\n", hocon);
    }

    public static TheoryData<string> BadFiles() =>
        new(Directory.GetFiles(Data("bad"), "*.py").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task What_cannot_be_converted_is_named_in_one_line(string name)
    {
        var file = Data(Path.Combine("bad", name));
        var expected = File.ReadLines(file).First()["# expect: ".Length..].Replace("FILE", file);
        var error = await Assert.ThrowsAsync<MigrationException>(() => Migrator.ConvertAsync(file, Python, TextWriter.Null));
        Assert.Equal(expected, error.Message);
    }

    private static async Task<(string Hocon, PicomonSettings Settings, string Output)> ConvertAsync(string config)
    {
        var output = new StringWriter();
        var hocon = await Migrator.ConvertAsync(config, Python, output);
        var file = Path.Combine(Path.GetTempPath(), $"picomon-migrated-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, hocon);
        try { return (hocon, ConfigLoader.Load(file), output.ToString()); }
        finally { File.Delete(file); }
    }

    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "testdata/migrate", name);
}
