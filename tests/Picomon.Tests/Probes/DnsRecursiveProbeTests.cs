using System.Net.Sockets;
using DnsClient;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class DnsRecursiveProbeTests
{
    private static readonly string[] Answers = ["--address=/example.test/127.0.0.9", "--address=/example.invalid/"];

    private static ProbeTarget Target(string address, AddressFamily family) => new("resolver", "resolver", address, family);

    private static Task<ProbeResult> Run(string query, QueryType record, int port, string address = "127.0.0.2",
        AddressFamily family = AddressFamily.InterNetwork, CancellationToken cancellationToken = default) =>
        new DnsRecursiveProbe(query, record, port).RunAsync(Target(address, family), cancellationToken);

    [Fact]
    public async Task Succeeds_when_the_resolver_answers_NOERROR()
    {
        var port = DnsmasqServer.FreePort();
        await using var dns = await DnsmasqServer.StartAsync("127.0.0.2", port, Answers);
        Assert.Equal(ProbeResult.Ok, await Run("www.example.test", QueryType.A, port));
    }

    [Fact]
    public async Task Fails_with_NXDOMAIN_naming_the_query_and_record()
    {
        var port = DnsmasqServer.FreePort();
        await using var dns = await DnsmasqServer.StartAsync("127.0.0.2", port, Answers);
        Assert.Equal(ProbeResult.Fail("NXDOMAIN for example.invalid NS"), await Run("example.invalid", QueryType.NS, port));
    }

    [Fact]
    public async Task Fails_with_REFUSED_when_the_server_does_not_recurse_for_the_default_query()
    {
        var port = DnsmasqServer.FreePort();
        await using var dns = await DnsmasqServer.StartAsync("127.0.0.2", port, Answers);
        var probe = OptionValues.Probe("dns-rec4", ("port", port));
        Assert.Equal(ProbeResult.Fail("REFUSED for . NS"), await probe.RunAsync(Target("127.0.0.2", AddressFamily.InterNetwork), default));
    }

    [Fact]
    public async Task Fails_with_no_reply_when_nothing_answers_before_the_token_fires()
    {
        var port = DnsmasqServer.FreePort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeResult.Fail($"no reply from 127.0.0.2:{port}"), await Run("example.test", QueryType.A, port, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Times_out_under_the_runner_when_nothing_answers()
    {
        var probe = new DnsRecursiveProbe("example.test", QueryType.A, DnsmasqServer.FreePort());
        var result = await ProbeRunner.RunAsync(probe, Target("127.0.0.2", AddressFamily.InterNetwork), TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
    }

    [Fact]
    public async Task Queries_an_IPv6_resolver_for_dns_rec6()
    {
        var port = DnsmasqServer.FreePort();
        await using var dns = await DnsmasqServer.StartAsync("::1", port, Answers);
        Assert.Equal(ProbeResult.Ok, await Run("www.example.test", QueryType.A, port, "::1", AddressFamily.InterNetworkV6));
        Assert.Equal(ProbeResult.Fail("NXDOMAIN for example.invalid AAAA"),
            await Run("example.invalid", QueryType.AAAA, port, "::1", AddressFamily.InterNetworkV6));
    }

    [Fact]
    public async Task Fails_when_the_host_has_no_address_in_the_check_family()
    {
        Assert.Equal(ProbeResult.Fail("::1 is not an IPv4 address"), await Run(".", QueryType.NS, 53, "::1"));
    }

    [Fact]
    public void Declares_both_families_with_the_spec_defaults()
    {
        Assert.Equal(["dns-rec4/CheckDNSRec4/InterNetwork", "dns-rec6/CheckDNSRec6/InterNetworkV6"],
            DnsRecursiveProbe.Types.Select(t => $"{t.Name}/{t.MailName}/{t.Family}"));
        Assert.Equal(new DnsRecursiveOptions(".", QueryType.NS, 53), OptionValues.Read(DnsRecursiveProbe.Types[0]));
    }
}
