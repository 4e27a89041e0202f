using System.Net;
using System.Net.Sockets;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class OpenVpnProbeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private static Task<ProbeResult> Run(string type, int port, ProbeTarget target, TimeSpan? timeout = null) =>
        ProbeRunner.RunAsync(OptionValues.Probe(type, ("port", port)), target, timeout ?? Generous);

    /// <summary>Answers datagrams after dropping the first <paramref name="drop"/>; records what it got.</summary>
    private static async Task<List<byte[]>> FakeServerAsync(UdpClient server, int drop, CancellationToken stop)
    {
        var received = new List<byte[]>();
        while (true)
        {
            var datagram = await server.ReceiveAsync(stop);
            received.Add(datagram.Buffer);
            if (received.Count <= drop) continue;
            await server.SendAsync(new byte[] { 8 << 3, 1, 2, 3 }, datagram.RemoteEndPoint, stop);
            return received;
        }
    }

    [Fact]
    public async Task Succeeds_against_a_real_openvpn_server()
    {
        using var openvpn = new NetOpenVpn(IPAddress.Loopback);
        Assert.Equal(ProbeResult.Ok, await Run("openvpn4", openvpn.Port, NetLoopback.V4()));
        Assert.Equal(ProbeResult.Ok, await Run("openvpn4", openvpn.Port, NetLoopback.V4()));
    }

    [NetIPv6Fact]
    public async Task Openvpn6_succeeds_against_a_real_openvpn_server_on_the_IPv6_loopback()
    {
        using var openvpn = new NetOpenVpn(IPAddress.IPv6Loopback);
        Assert.Equal(ProbeResult.Ok, await Run("openvpn6", openvpn.Port, NetLoopback.V6()));
    }

    [Fact]
    public async Task Sends_a_14_byte_hard_reset_and_accepts_any_reply()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource(Generous);
        var serving = FakeServerAsync(server, drop: 0, stop.Token);
        var result = await Run("openvpn4", ((IPEndPoint)server.Client.LocalEndPoint!).Port, NetLoopback.V4());
        Assert.Equal(ProbeResult.Ok, result);
        var packet = Assert.Single(await serving);
        Assert.Equal(14, packet.Length);
        Assert.Equal(0x38, packet[0]);
        Assert.Equal(new byte[5], packet[9..]);
    }

    [Fact]
    public async Task Sends_again_when_the_first_datagram_is_lost()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource(Generous);
        var serving = FakeServerAsync(server, drop: 1, stop.Token);
        var result = await Run("openvpn4", ((IPEndPoint)server.Client.LocalEndPoint!).Port, NetLoopback.V4());
        Assert.Equal(ProbeResult.Ok, result);
        Assert.Equal(2, (await serving).Count);
    }

    [Fact]
    public async Task Fails_with_connection_refused_on_an_ICMP_port_unreachable()
    {
        var result = await Run("openvpn4", NetLoopback.ClosedUdpPort(IPAddress.Loopback), NetLoopback.V4());
        Assert.Equal(ProbeResult.Fail("Connection refused"), result);
    }

    [Fact]
    public async Task Times_out_when_nothing_answers()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var result = await Run("openvpn4", port, NetLoopback.V4(), TimeSpan.FromMilliseconds(1500));
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
    }

    [Fact]
    public void Hard_resets_carry_a_fresh_random_session_id()
    {
        Assert.NotEqual(OpenVpnProbe.HardReset()[1..9], OpenVpnProbe.HardReset()[1..9]);
    }

    [Fact]
    public void Registers_openvpn4_and_openvpn6_with_port_1194_by_default()
    {
        Assert.Equal(("CheckOpenVPN6", AddressFamily.InterNetworkV6, (CheckOptions)new OpenVpnOptions(1194)),
            (CheckTypes.Find("openvpn6")!.MailName, CheckTypes.Find("openvpn6")!.Family, OptionValues.Read(CheckTypes.Find("openvpn6")!)));
        Assert.Equal("CheckOpenVPN4", CheckTypes.Find("openvpn4")!.MailName);
    }
}
