using System.Net;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>picomon --one</c> over a configuration using every check type, each against a real server
/// on loopback (Kestrel, aiosmtpd, dnsmasq, openvpn, prosody, monitoring-plugins), with some failures on
/// purpose; nothing a check starts outlives the run. The timeout is one that no answer comes near (bar the
/// check that hangs on purpose), so that a busy machine cannot turn an answer into a timeout.</summary>
[Collection(RealTime.Name)]
public class AllTypesTests
{
    private const string Zone = "example.test";

    [Fact]
    public async Task One_runs_every_check_type_against_real_servers_and_leaves_no_process_behind()
    {
        using var dir = new Workspace();
        await using var web = await NetWebServer.StartAsync();
        using var certificate = NetWebServer.Certificate(DateTimeOffset.UtcNow.AddDays(90));
        await using var tls = await NetWebServer.StartAsync(certificate);
        using var smtp = await SmtpServer.StartAsync();
        await using var resolver = await DnsmasqServer.StartAsync("127.0.0.1", DnsmasqServer.FreePort(), "--address=/example.test/127.0.0.9");
        var (ns1, ns2) = ZoneAddresses();
        await using var zone1 = await DnsmasqServer.StartAsync(ns1, 53, Authority("ns1", ns1, ns1, ns2));
        await using var zone2 = await DnsmasqServer.StartAsync(ns2, 53, Authority("ns2", ns2, ns1, ns2));
        using var openvpn = new NetOpenVpn(IPAddress.Loopback);
        using var prosody = new NetProsody();
        var closed = NetLoopback.ClosedPort(IPAddress.Loopback);
        var marker = PluginProcessScan.NewMarker();
        dir.Write("all.conf", $$"""
            picomon {
              default-timeout = 30s
              hosts { lo { ipv4 = "127.0.0.1", ipv6 = "::1", name = "localhost" } }
              checks = [
                { type = http4, hosts = [lo], port = {{web.PortV4}}, string = "{{NetWebServer.Greeting}}" }
                { type = http6, hosts = [lo], port = {{web.PortV6}}, url = "/deep/path", status = 200 }
                { type = https4, hosts = [lo], port = {{tls.PortV4}}, vhost = "www.example.org", cert-min-days = 30 }
                { type = smtp4, hosts = [lo], port = {{smtp.Port}}, command = "NOOP" }
                { type = dns-rec4, hosts = [lo], port = {{resolver.EndPoint.Port}}, query = "www.example.test", record = A }
                { type = dns-zone, zones = ["{{Zone}}"], ip-version = 4, resolver = "{{ns1}}:53" }
                { type = openvpn4, hosts = [lo], port = {{openvpn.Port}} }
                { type = jabber4, hosts = [lo], port = {{prosody.Port}} }
                { type = tcp4, hosts = [lo], name = tcp-open, port = {{smtp.Port}}, expect = "^220" }
                { type = tcp4, hosts = [lo], name = tcp-closed, port = {{closed}} }
                { type = ping4, hosts = [lo] }
                { type = plugin, name = dummy-ok, command = ["/usr/lib/nagios/plugins/check_dummy", "0", "fine"] }
                { type = plugin, name = dummy-critical, command = ["/usr/lib/nagios/plugins/check_dummy", "2", "boom"] }
                { type = plugin, hosts = [lo], name = check-tcp,
                  command = ["/usr/lib/nagios/plugins/check_tcp", "-H", "$ADDRESS$", "-p", "{{smtp.Port}}"] }
                { type = exec, name = echo, command = ["/bin/echo", "alive"], pattern = "^alive$" }
                { type = exec, name = hang, command = ["/bin/sh", "-c", "sleep 60; : {{marker}}"], timeout = 1s }
              ]
            }
            """);

        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(dir.Directory, Deadlines.Event, "--one", "-c", "all.conf");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        string[] successes = ["http4/lo", "http6/lo", "https4/lo", "smtp4/lo", "dns-rec4/lo", $"dns-zone/{Zone}", "openvpn4/lo",
            "jabber4/lo", "tcp-open", "ping4/lo", "dummy-ok", "check-tcp", "echo"];
        Assert.All(successes, id => Assert.Contains($"Check {id} successful!\n", stdout));
        Assert.Contains($"Check tcp-closed failed:\nConnection refused\n", stdout);
        Assert.Contains($"Check dummy-critical failed:\nCRITICAL: boom (CRITICAL, exit 2)\n", stdout);
        Assert.Contains($"Check hang failed:\nOperation timed out\n", stdout);
        Assert.EndsWith("16 checks: 13 OK, 3 failed\n", stdout);
        Assert.Contains("www.example.org", tls.ServerNames);
        Assert.Empty(await PluginProcessScan.RemainingAfterGraceAsync(marker));
    }

    /// <summary>A dns-zone check asks the zone's name servers on port 53 (there is no knob for it in the
    /// configuration: a delegation means port 53), so the two authoritative dnsmasq instances must own
    /// port 53. They do so on loopback addresses picked at random in 127.53.0.0/16, which nothing else
    /// uses, so that concurrent runs do not collide; ns1 also serves as the check's resolver.</summary>
    private static (string Ns1, string Ns2) ZoneAddresses()
    {
        var net = Random.Shared.Next(1, 255);
        return ($"127.53.{net}.2", $"127.53.{net}.3");
    }

    private static string[] Authority(string ns, string address, string ns1, string ns2) =>
    [
        $"--auth-zone={Zone}", $"--auth-server={ns}.{Zone},{address}", "--auth-soa=2024010101,hostmaster",
        $"--auth-sec-servers={(ns == "ns1" ? "ns2" : "ns1")}.{Zone}",
        $"--host-record=ns1.{Zone},{ns1}", $"--host-record=ns2.{Zone},{ns2}",
    ];
}
