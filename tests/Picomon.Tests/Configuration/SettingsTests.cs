using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using DnsClient;
using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Tests.Configuration;

public class SettingsTests
{
    private static PicomonSettings Load(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-settings-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, _ => null); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void An_empty_file_gets_every_default_of_the_spec()
    {
        var s = Load("");
        Assert.Equal(TimeSpan.FromSeconds(60), s.BaseTick);
        Assert.Equal(LogLevel.Information, s.VerbLevel);
        Assert.Equal("./picomon-state", s.StateDir);
        Assert.Empty(s.Checks);
        var e = s.Emails;
        Assert.Empty(e.To);
        Assert.Equal($"Picomon <picomon@{ConfigLoader.Fqdn.Value}>", e.AddrFrom);
        Assert.Equal(("localhost", 25), (e.SmtpHost, e.SmtpPort));
        Assert.Equal(TimeSpan.FromSeconds(60), e.SmtpKeepaliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), e.SmtpRetryTimeout);
        Assert.Equal(SmtpTls.Auto, e.SmtpTls);
        Assert.Null(e.SmtpUser);
        Assert.Null(e.SmtpPassword);
        Assert.Equal("[DOMAIN] {state}: {check} on {dest}", e.SubjectTemplate);
        Assert.Equal(TimeSpan.Zero, e.ReportEvery);
        Assert.Equal("[DOMAIN] Picomon error report", e.ReportSubject);
        Assert.Equal("[DOMAIN] Picomon stopped", e.WatchdogSubject);
    }

    [Fact]
    public void The_shipped_sample_sets_every_setting_to_its_reference_default()
    {
        var sample = ConfigLoader.Load(null);
        var defaults = Load("");
        Assert.Equal(defaults with
        {
            Source = sample.Source, Hosts = sample.Hosts, Checks = sample.Checks,
            Emails = defaults.Emails with { To = sample.Emails.To },
            // Compared below: its collections compare by reference.
            Notify = sample.Notify,
        }, sample);
        Assert.Empty(sample.Emails.To);
        Assert.Equal(defaults.Notify with { Channels = sample.Notify.Channels, Routes = sample.Notify.Routes }, sample.Notify);
    }

    [Fact]
    public void Overrides_replace_defaults_and_bare_numbers_are_seconds()
    {
        var s = Load("""
            picomon {
              base-tick = 5
              verb-level = debug
              state-dir = /var/lib/picomon
              emails { to = ["a@example.org", "b@example.org"], smtp-host = "[::1]:2525", smtp-tls = tls
                       smtp-keepalive-timeout = 500ms, smtp-retry-timeout = 2m, report.every = 1h
                       addr-from = "Mon <mon@example.org>", subject-tpl = "{state} {check}" }
            }
            """);
        Assert.Equal(TimeSpan.FromSeconds(5), s.BaseTick);
        Assert.Equal(LogLevel.Debug, s.VerbLevel);
        Assert.Equal("/var/lib/picomon", s.StateDir);
        Assert.Equal(["a@example.org", "b@example.org"], s.Emails.To);
        Assert.Equal(("::1", 2525), (s.Emails.SmtpHost, s.Emails.SmtpPort));
        Assert.Equal(SmtpTls.Tls, s.Emails.SmtpTls);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Emails.SmtpKeepaliveTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), s.Emails.SmtpRetryTimeout);
        Assert.Equal(TimeSpan.FromHours(1), s.Emails.ReportEvery);
        Assert.Equal("Mon <mon@example.org>", s.Emails.AddrFrom);
        Assert.Equal("{state} {check}", s.Emails.SubjectTemplate);
    }

    [Fact]
    public void A_group_expands_to_the_product_of_types_and_hosts_with_type_slash_target_ids()
    {
        var s = Load("""
            picomon.hosts { localhost { ipv4 = "127.0.0.1", ipv6 = "::1" }, h1 { ipv4 = "192.0.2.1", ipv6 = "2001:db8::1", name = "h1.example.org" } }
            picomon.checks = [ { type = [ping4, ping6], hosts = [localhost, h1], retry = 2, every = 5 } ]
            """);
        Assert.Equal(["ping4/localhost", "ping4/h1", "ping6/localhost", "ping6/h1"], s.Checks.Select(c => c.Id));
        var h1v6 = s.Checks.Single(c => c.Id == "ping6/h1");
        Assert.Equal("2001:db8::1", h1v6.Target.Address);
        Assert.Equal(AddressFamily.InterNetworkV6, h1v6.Target.Family);
        Assert.Equal("h1.example.org", h1v6.Target.Name);
        Assert.All(s.Checks, c => Assert.Equal((5, 5, 2), (c.Every, c.ErrorEvery, c.Retry)));
    }

    [Fact]
    public void Host_name_defaults_to_its_addresses()
    {
        var s = Load("""picomon.hosts { both { ipv4 = "192.0.2.1", ipv6 = "2001:db8::1" }, v6only { ipv6 = "2001:db8::beef" } }""");
        Assert.Equal("192.0.2.1/2001:db8::1", s.Hosts["both"].Name);
        Assert.Equal("2001:db8::beef", s.Hosts["v6only"].Name);
    }

    [Fact]
    public void Checks_take_the_defaults_and_error_every_minus_one_means_every()
    {
        var s = Load("""
            picomon { default-every = 3, default-retry = 4, default-timeout = 7s, default-error-every = -1
                      checks = [ { type = ping4, hosts = ["127.0.0.1"] }, { type = ping6, hosts = ["::1"], error-every = 2, timeout = 250ms } ] }
            """);
        var (v4, v6) = (s.Checks[0], s.Checks[1]);
        Assert.Equal((3, 3, 4, TimeSpan.FromSeconds(7)), (v4.Every, v4.ErrorEvery, v4.Retry, v4.Timeout));
        Assert.Equal((3, 2, TimeSpan.FromMilliseconds(250)), (v6.Every, v6.ErrorEvery, v6.Timeout));
    }

    [Fact]
    public void Literal_addresses_are_their_own_targets()
    {
        var s = Load("""picomon.checks = [ { type = ping4, hosts = ["127.0.0.1"] }, { type = ping6, hosts = ["::1"] } ]""");
        Assert.Equal(["ping4/127.0.0.1", "ping6/::1"], s.Checks.Select(c => c.Id));
        Assert.Equal("::1", s.Checks[1].Target.Name);
    }

    [Fact]
    public void Zones_are_targets_of_dns_zone_named_after_the_zone()
    {
        var s = Load("""picomon.checks = [ { type = dns-zone, zones = ["example.net", "example.org"], ip-version = 4 } ]""");
        Assert.Equal(["dns-zone/example.net", "dns-zone/example.org"], s.Checks.Select(c => c.Id));
        Assert.Equal("zone 'example.net'", s.Checks[0].Target.Name);
        Assert.Equal("example.net", s.Checks[0].Target.Zone);
        Assert.Equal(new DnsZoneOptions(4, null), s.Checks[0].Options);
    }

    [Fact]
    public void Name_and_target_name_replace_the_generated_id_and_target_name()
    {
        var s = Load("""picomon.checks = [ { type = ping4, hosts = ["127.0.0.1"], name = "loopback", target-name = "the loop" } ]""");
        var check = Assert.Single(s.Checks);
        Assert.Equal("loopback", check.Id);
        Assert.Equal("the loop", check.Target.Name);
    }

    [Fact]
    public void A_plugin_without_hosts_is_named_after_its_program()
    {
        var s = Load("""picomon.checks = [ { type = plugin, command = ["/usr/lib/nagios/plugins/check_dummy", "0"] } ]""");
        var check = Assert.Single(s.Checks);
        Assert.Equal("plugin/check_dummy", check.Id);
        Assert.Null(check.Target.Address);
        Assert.Equal(["/usr/lib/nagios/plugins/check_dummy", "0"], Assert.IsType<PluginOptions>(check.Options).Command);
    }

    [Fact]
    public void A_named_exec_without_hosts_uses_its_name_as_target_name()
    {
        var s = Load("""picomon.checks = [ { type = exec, name = "disk", command = ["/bin/df"] } ]""");
        Assert.Equal(("disk", "disk"), (s.Checks[0].Id, s.Checks[0].Target.Name));
    }

    [Fact]
    public void A_plugin_with_hosts_probes_the_ipv4_address_first()
    {
        var s = Load("""
            picomon.hosts.web { ipv4 = "192.0.2.1", ipv6 = "2001:db8::1" }
            picomon.checks = [ { type = plugin, hosts = [web], command = [check_tcp, "-H", "$ADDRESS$"] } ]
            """);
        Assert.Equal("192.0.2.1", Assert.Single(s.Checks).Target.Address);
    }

    [Fact]
    public void Each_type_reads_its_options_record_with_the_defaults_of_the_spec()
    {
        var s = Load("""
            picomon.checks = [
              { type = [ping4, http4, https4, smtp4, dns-rec4, openvpn4, jabber4], hosts = ["127.0.0.1"] }
              { type = dns-zone, zones = ["example.org"] }
              { type = tcp4, hosts = ["127.0.0.1"], port = 22 }
              { type = [plugin, exec], command = [check_dummy, "0"] }
            ]
            """);
        var command = new ValueList<string>(["check_dummy", "0"]);
        Assert.Equal<CheckOptions>(
            [
                NoOptions.Instance,
                new HttpOptions(Status: null, Vhost: null, Expected: null, Url: "/", Port: 80, CertMinDays: null),
                new HttpOptions(Status: null, Vhost: null, Expected: null, Url: "/", Port: 443, CertMinDays: null),
                new SmtpOptions(FromAddr: "picomon@localhost.local", Command: null, Response: new Pattern("^250"), Port: 25),
                new DnsRecursiveOptions(Query: ".", Record: QueryType.NS, Port: 53),
                new OpenVpnOptions(Port: 1194),
                new JabberOptions(Port: 5222),
                new DnsZoneOptions(IpVersion: 0, Resolver: null),
                new TcpOptions(Port: 22, Send: null, Expect: null),
                new PluginOptions(command, WarningOk: false),
                new ExecOptions(command, Pattern: null),
            ],
            s.Checks.Select(c => c.Options));
    }

    [Fact]
    public void Options_as_written_are_read_into_the_types_record()
    {
        var s = Load("""
            picomon.checks = [
              { type = https6, hosts = ["::1"], status = 302, vhost = "www.example.org", string = "ok", url = "/health",
                port = 8443, cert-min-days = 14 }
              { type = smtp6, hosts = ["::1"], from-addr = "mon@example.org", command = "VRFY root", response = "^2", port = 587 }
              { type = dns-rec6, hosts = ["::1"], query = "example.org", record = mx, port = 5353 }
              { type = dns-zone, zones = ["example.org"], ip-version = 6, resolver = "[::1]:5353" }
              { type = tcp6, hosts = ["::1"], port = 6379, send = "PING", expect = "PONG" }
              { type = plugin, command = check_dummy, warning-ok = true }
              { type = exec, command = ["/bin/true"], pattern = "^$" }
            ]
            """);
        Assert.Equal<CheckOptions>(
            [
                new HttpOptions(302, "www.example.org", "ok", "/health", 8443, 14),
                new SmtpOptions("mon@example.org", "VRFY root", new Pattern("^2"), 587),
                new DnsRecursiveOptions("example.org", QueryType.MX, 5353),
                new DnsZoneOptions(6, "[::1]:5353"),
                new TcpOptions(6379, "PING", new Pattern("PONG")),
                new PluginOptions(new ValueList<string>(["check_dummy"]), true),
                new ExecOptions(new ValueList<string>(["/bin/true"]), new Pattern("^$")),
            ],
            s.Checks.Select(c => c.Options));
    }

    [Fact]
    public void Two_loads_of_one_file_give_equal_checks_and_a_changed_option_does_not()
    {
        const string text = """
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 22, expect = "^SSH-", send = "x" }
                               { type = plugin, command = [check_dummy, "0"] } ]
            """;
        Assert.Equal(Load(text).Checks, Load(text).Checks);
        var changed = Load(text.Replace("^SSH-", "^SSH-2"));
        Assert.NotEqual(Load(text).Checks[0], changed.Checks[0]);
        Assert.Equal(Load(text).Checks[1], changed.Checks[1]);
        var longerCommand = Load(text.Replace("\"0\"]", "\"0\", \"-v\"]"));
        Assert.Equal(Load(text).Checks[0], longerCommand.Checks[0]);
        Assert.NotEqual(Load(text).Checks[1], longerCommand.Checks[1]);
    }

    [Fact]
    public void The_akka_block_is_handed_over_rendered_not_raw()
    {
        var s = Load("""
            akka.loglevel = WARNING   # a comment Akka never sees
            akka.actor { debug.unhandled = on }
            """);
        Assert.NotNull(s.AkkaHocon);
        var akka = Akka.Configuration.ConfigurationFactory.ParseString(s.AkkaHocon);
        Assert.Equal("WARNING", akka.GetString("akka.loglevel"));
        Assert.True(akka.GetBoolean("akka.actor.debug.unhandled"));
        Assert.DoesNotContain("comment", s.AkkaHocon);
    }
}
