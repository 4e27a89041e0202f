using System.Net;
using System.Net.Sockets;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

/// <summary>Real dnsmasq name servers on 127.0.0.2 (ns1, also the resolver), 127.0.0.3 (ns2) and,
/// per test, ::1 or 127.0.0.4, all on one free port that the probe uses for its SOA queries.</summary>
public class DnsZoneProbeTests
{
    private const string Zone = "example.test";
    private readonly int _port = DnsmasqServer.FreePort();

    private static ProbeTarget ZoneTarget(string zone) => new(zone, $"zone '{zone}'", null, AddressFamily.Unspecified, zone);

    /// <summary>dnsmasq authoritative for the zone as <paramref name="ns"/>, naming the other servers
    /// as secondaries, with host records for every server.</summary>
    private static string[] Authority(string ns, string address, long serial, string ns2Addresses = "127.0.0.3", bool ns3 = false) =>
    [
        $"--auth-zone={Zone}", $"--auth-server={ns},{address}", $"--auth-soa={serial},hostmaster",
        "--auth-sec-servers=" + string.Join(",", new[] { "ns1.example.test", "ns2.example.test", ns3 ? "ns3.example.test" : null }
            .Where(n => n is not null && n != ns)),
        "--host-record=ns1.example.test,127.0.0.2", $"--host-record=ns2.example.test,{ns2Addresses}",
        "--host-record=ns3.example.test,127.0.0.4",
    ];

    private Task<DnsmasqServer> Ns1(long serial, string ns2Addresses = "127.0.0.3", bool ns3 = false) =>
        DnsmasqServer.StartAsync("127.0.0.2", _port, Authority("ns1.example.test", "127.0.0.2", serial, ns2Addresses, ns3));

    private Task<DnsmasqServer> Ns2(long serial, string address = "127.0.0.3") =>
        DnsmasqServer.StartAsync(address, _port, Authority("ns2.example.test", address, serial));

    private Task<ProbeResult> Run(int ipVersion = 0, string zone = Zone, CancellationToken cancellationToken = default) =>
        new DnsZoneProbe(ipVersion, $"127.0.0.2:{_port}", _port).RunAsync(ZoneTarget(zone), cancellationToken);

    [Fact]
    public async Task Succeeds_when_every_name_server_answers_authoritatively_with_the_same_serial()
    {
        await using var ns1 = await Ns1(2024010101);
        await using var ns2 = await Ns2(2024010101);
        Assert.Equal(ProbeResult.Ok, await Run());
    }

    [Fact]
    public async Task Fails_naming_each_server_and_serial_when_serials_differ()
    {
        await using var ns1 = await Ns1(2024010101);
        await using var ns2 = await Ns2(2024010100);
        Assert.Equal(ProbeResult.Fail("serials differ: ns1.example.test=2024010101 ns2.example.test=2024010100"), await Run());
    }

    [Fact]
    public async Task Labels_each_address_of_a_name_server_with_several_and_honours_ip_version()
    {
        await using var ns1 = await Ns1(2024010101, ns2Addresses: "127.0.0.3,::1");
        await using var ns2v4 = await Ns2(2024010101);
        await using var ns2v6 = await Ns2(7, "::1");
        Assert.Equal(ProbeResult.Fail("serials differ: ns1.example.test=2024010101 ns2.example.test/127.0.0.3=2024010101 ns2.example.test/::1=7"),
            await Run(ipVersion: 0));
        Assert.Equal(ProbeResult.Ok, await Run(ipVersion: 4));
        Assert.Equal(ProbeResult.Fail("ns1.example.test has no IPv6 address"), await Run(ipVersion: 6));
    }

    [Fact]
    public async Task Fails_when_a_name_server_answers_without_authority()
    {
        await using var ns1 = await Ns1(2024010101, ns3: true);
        await using var ns2 = await Ns2(2024010101);
        using var lame = new DnsNonAuthoritativeRelay(new IPEndPoint(IPAddress.Parse("127.0.0.4"), _port), ns2.EndPoint);
        Assert.Equal(ProbeResult.Fail("ns3.example.test (127.0.0.4) is not authoritative"), await Run());
    }

    [Fact]
    public async Task Fails_when_a_name_server_refuses_the_zone()
    {
        await using var ns1 = await Ns1(2024010101);
        await using var ns2 = await DnsmasqServer.StartAsync("127.0.0.3", _port);
        Assert.Equal(ProbeResult.Fail("ns2.example.test (127.0.0.3): REFUSED"), await Run());
    }

    [Fact]
    public async Task Names_the_server_that_does_not_reply()
    {
        await using var ns1 = await Ns1(2024010101);
        // Nothing answers for ns2, so the token ends the run; ns1's answers must all be in by then, however busy the machine.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(ProbeResult.Fail("ns2.example.test: no reply"), await Run(cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Fails_with_NXDOMAIN_for_a_zone_that_does_not_exist()
    {
        await using var ns1 = await Ns1(2024010101);
        Assert.Equal(ProbeResult.Fail("NXDOMAIN for nx.example.test NS"), await Run(zone: "nx.example.test"));
    }

    [Fact]
    public async Task Fails_when_the_zone_has_no_NS_records()
    {
        await using var ns1 = await Ns1(2024010101);
        Assert.Equal(ProbeResult.Fail("no NS records for ns1.example.test"), await Run(zone: "ns1.example.test"));
    }

    [Fact]
    public async Task Fails_with_no_reply_when_the_resolver_is_down()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeResult.Fail($"no reply from resolver 127.0.0.2:{_port}"), await Run(cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("dns.example.test:54", "dns.example.test", 54)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("::1", "::1", 53)]
    public void Parses_a_resolver_as_host_and_port(string text, string host, int port)
    {
        Assert.Equal((host, port), HostPort.TryParse(text, 53));
    }

    [Theory]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:dns")]
    [InlineData(":53")]
    [InlineData("[::1")]
    [InlineData("[::1]53")]
    [InlineData("[dns.example.test]:53")]
    [InlineData("a:b:c")]
    [InlineData("dns example")]
    public void Rejects_a_malformed_resolver_at_load_time(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => OptionValues.Read(DnsZoneProbe.Types[0], ("resolver", text)));
        Assert.Equal($"option resolver = {text}: must be host[:port] (an IPv6 address as [::1]:53), got '{text}'", error.Message);
    }
}
