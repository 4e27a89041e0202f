using System.Net;
using System.Net.Sockets;
using Picomon.Probes;

namespace Picomon.TestSupport;

/// <summary>A loopback TCP server that serves every accepted connection with a given behaviour
/// (answer, stay silent, drip, flood…), for the network probe tests.</summary>
public sealed class NetTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NetworkStream, CancellationToken, Task> _serve;
    private readonly Task _acceptLoop;

    public NetTcpServer(IPAddress address, Func<NetworkStream, CancellationToken, Task> serve)
    {
        _serve = serve;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>A server that accepts and never says anything.</summary>
    public static NetTcpServer Silent(IPAddress address) =>
        new(address, (_, stop) => Task.Delay(Timeout.Infinite, stop));

    /// <summary>A server that writes <paramref name="reply"/> at once and closes the connection.</summary>
    public static NetTcpServer Replying(IPAddress address, byte[] reply) =>
        new(address, async (stream, stop) => await stream.WriteAsync(reply, stop));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            // The peer going away (reset, closed) ends a behaviour early; that is what the tests provoke.
            try { await _serve(client.GetStream(), _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}

/// <summary>Loopback addresses, targets and ports for the network probe tests.</summary>
public static class NetLoopback
{
    public static readonly bool HasIPv6 = CanBindIPv6();

    public static ProbeTarget V4(string? name = null) =>
        new("localhost", name ?? "127.0.0.1", "127.0.0.1", AddressFamily.InterNetwork);

    public static ProbeTarget V6(string? name = null) =>
        new("localhost", name ?? "::1", "::1", AddressFamily.InterNetworkV6);

    /// <summary>A TCP port that was just free and has nothing listening on it now.</summary>
    public static int ClosedPort(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A UDP port that was just free and has nothing bound to it now.</summary>
    public static int ClosedUdpPort(IPAddress address)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static bool CanBindIPv6()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
