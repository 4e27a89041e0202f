using System.Net;
using System.Net.Sockets;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>Network plumbing shared by the probes: resolving a target in its address family,
/// opening a TCP connection, and the cap on what a probe reads.</summary>
public static class ProbeNet
{
    /// <summary>The replies a probe reads are capped at this many bytes.</summary>
    public const int ReadCap = 64 * 1024;

    /// <summary>Resolves a literal address or DNS name to one address of <paramref name="family"/>. A
    /// <see cref="ValueTask"/>: a literal address, the common case, completes at once and allocates nothing.</summary>
    public static async ValueTask<(IPAddress? Address, string? Error)> ResolveAsync(
        string address, AddressFamily family, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address, out var literal))
            return family == AddressFamily.Unspecified || literal.AddressFamily == family
                ? (literal, null)
                : (null, $"{address} is not an {FamilyName(family)} address");
        try
        {
            var found = await Dns.GetHostAddressesAsync(address, family, cancellationToken);
            return found.Length > 0 ? (found[0], null) : (null, $"{address} has no {FamilyName(family)} address");
        }
        catch (SocketException e)
        {
            return (null, $"cannot resolve {address}: {NetErrors.Describe(e)}");
        }
    }

    /// <summary>Resolves the target's address and opens a TCP connection to <paramref name="port"/> as a stream: on Linux
    /// a <see cref="LoopStream"/> (<see cref="SocketLoop"/> says why), elsewhere a <see cref="NetworkStream"/>.
    /// <paramref name="noDelay"/> turns Nagle's algorithm off, for a protocol that writes in several pieces before it reads.</summary>
    public static async Task<(Stream? Stream, string? Error)> OpenAsync(
        ProbeTarget target, int port, bool noDelay, CancellationToken cancellationToken)
    {
        if (target.Address is null) return (null, "no address to connect to");
        var (address, error) = await ResolveAsync(target.Address, target.Family, cancellationToken);
        if (address is null) return (null, error);
        var endpoint = new IPEndPoint(address, port);
        try
        {
            return OperatingSystem.IsLinux()
                ? (await LoopStream.ConnectAsync(endpoint, noDelay, cancellationToken), null)
                : (await ConnectSocketAsync(endpoint, noDelay, cancellationToken), null);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return (null, NetErrors.Describe(e));
        }
    }

    /// <summary>The connection elsewhere than on Linux: the runtime's socket as a <see cref="NetworkStream"/> (internal for
    /// the tests, which run it on Linux).</summary>
    internal static async Task<Stream> ConnectSocketAsync(IPEndPoint endpoint, bool noDelay, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = noDelay };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string FamilyName(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
