using System.Net.NetworkInformation;
using System.Net.Sockets;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

// Only loopback addresses are ever pinged here.
public class PingProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static Task<ProbeResult> Ping(string type, ProbeTarget target) =>
        ProbeRunner.RunAsync(OptionValues.Probe(type), target, Timeout);

    [Fact]
    public async Task Ping4_succeeds_on_the_IPv4_loopback()
    {
        Assert.Equal(ProbeResult.Ok, await Ping("ping4", NetLoopback.V4()));
    }

    [NetIPv6Fact]
    public async Task Ping6_succeeds_on_the_IPv6_loopback()
    {
        Assert.Equal(ProbeResult.Ok, await Ping("ping6", NetLoopback.V6()));
    }

    [Fact]
    public async Task Ping4_resolves_a_DNS_name_in_IPv4()
    {
        var target = new ProbeTarget("localhost", "localhost", "localhost", AddressFamily.InterNetwork);
        Assert.Equal(ProbeResult.Ok, await Ping("ping4", target));
    }

    [Fact]
    public async Task Ping6_to_an_IPv4_address_fails_naming_the_family_mismatch()
    {
        var target = NetLoopback.V4() with { Family = AddressFamily.InterNetworkV6 };
        var result = await Ping("ping6", target);
        Assert.Equal(ProbeResult.Fail("127.0.0.1 is not an IPv6 address"), result);
    }

    [Fact]
    public async Task Fails_without_an_address()
    {
        var result = await Ping("ping4", NetLoopback.V4() with { Address = null });
        Assert.Equal(ProbeResult.Fail("no address to ping"), result);
    }

    [Theory]
    [InlineData(IPStatus.DestinationHostUnreachable, "Destination host unreachable")]
    [InlineData(IPStatus.DestinationNetworkUnreachable, "Destination network unreachable")]
    [InlineData(IPStatus.TimedOut, "Request timed out")]
    [InlineData(IPStatus.TtlExpired, "Time to live exceeded")]
    [InlineData(IPStatus.PacketTooBig, "Packet too big")]
    public void Describes_an_ICMP_status_readably(IPStatus status, string expected)
    {
        Assert.Equal(expected, PingProbe.Describe(status));
    }

    [Fact]
    public void Registers_ping4_and_ping6_with_their_mail_names_and_families()
    {
        Assert.Equal(("CheckPing4", AddressFamily.InterNetwork, TargetKind.Hosts),
            (CheckTypes.Find("ping4")!.MailName, CheckTypes.Find("ping4")!.Family, CheckTypes.Find("ping4")!.Targets));
        Assert.Equal(("CheckPing6", AddressFamily.InterNetworkV6),
            (CheckTypes.Find("ping6")!.MailName, CheckTypes.Find("ping6")!.Family));
        Assert.Empty(CheckTypes.Find("ping6")!.OptionNames);
    }
}
