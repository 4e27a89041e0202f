using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>openvpn4</c>/<c>openvpn6</c>.</summary>
public sealed record OpenVpnOptions(int Port) : CheckOptions
{
    public static OpenVpnOptions Read(OptionReader r) => new(r.Port("port", 1194));
}

/// <summary>The <c>openvpn4</c>/<c>openvpn6</c> check: sends an OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2
/// packet over UDP (as check_openvpn and the original did) and succeeds on any reply; an ICMP port
/// unreachable is "Connection refused". UDP may lose a datagram, so the packet is sent again every
/// second until a reply or the check's timeout.</summary>
public sealed class OpenVpnProbe(int port) : IProbe
{
    private const byte HardResetClientV2 = 7 << 3; // opcode 7, key id 0
    private static readonly TimeSpan Resend = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Entry("openvpn4", "CheckOpenVPN4", AddressFamily.InterNetwork),
        Entry("openvpn6", "CheckOpenVPN6", AddressFamily.InterNetworkV6),
    ];

    private static CheckType Entry(string name, string mailName, AddressFamily family) =>
        CheckType.Of(name, mailName, TargetKind.Hosts, family, OpenVpnOptions.Read, o => new OpenVpnProbe(o.Port));

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        if (target.Address is null) return ProbeResult.Fail("no address to connect to");
        var (address, error) = await ProbeNet.ResolveAsync(target.Address, target.Family, cancellationToken);
        if (address is null) return ProbeResult.Fail(error!);
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // A connected UDP socket only hears this peer, and hears its ICMP "port unreachable".
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
            var packet = HardReset();
            var reply = socket.ReceiveAsync(new byte[2048], SocketFlags.None, cancellationToken).AsTask();
            do await socket.SendAsync(packet, SocketFlags.None, cancellationToken);
            while (await Task.WhenAny(reply, Task.Delay(Resend, cancellationToken)) != reply);
            await reply;
            return ProbeResult.Ok;
        }
        catch (SocketException e)
        {
            return ProbeResult.Fail(NetErrors.Describe(e));
        }
    }

    /// <summary>14 bytes: opcode/key id, a random 8-byte session id, an empty ack array, packet id 0.</summary>
    internal static byte[] HardReset()
    {
        var packet = new byte[14];
        packet[0] = HardResetClientV2;
        RandomNumberGenerator.Fill(packet.AsSpan(1, 8));
        return packet;
    }
}
