using System.Net;

namespace Picomon.TestSupport;

/// <summary>A loopback TCP target that is not the server a check expects, counting the connections it accepted:
/// <see cref="Kind.Drip"/> writes one byte every 100 ms forever, <see cref="Kind.Flood"/> 10 MB without a line
/// end, <see cref="Kind.JunkLine"/> a 40 KB line of random bytes (control characters included) and 10 MB more.
/// Neither is HTTP, and none of it may end up in a message, a mail or a log line.</summary>
public sealed class HostileTarget : IAsyncDisposable
{
    public enum Kind { Drip, Flood, JunkLine }

    private const int Length = 10 * 1024 * 1024;
    private static readonly Lazy<byte[]> FloodBytes = new(() => Junk(lineAt: -1));
    private static readonly Lazy<byte[]> JunkLineBytes = new(() => Junk(lineAt: 40_000));

    private readonly NetTcpServer _server;
    private int _connections;

    public HostileTarget(Kind kind)
    {
        _server = new NetTcpServer(IPAddress.Loopback, (stream, stop) =>
        {
            Interlocked.Increment(ref _connections);
            return kind switch
            {
                Kind.Drip => DripAsync(stream, stop),
                Kind.Flood => stream.WriteAsync(FloodBytes.Value, stop).AsTask(),
                _ => stream.WriteAsync(JunkLineBytes.Value, stop).AsTask(),
            };
        });
    }

    public int Port => _server.Port;

    /// <summary>How many connections it has accepted so far: one per run of a check against it.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private static async Task DripAsync(Stream stream, CancellationToken stop)
    {
        while (true)
        {
            await stream.WriteAsync("x"u8.ToArray(), stop);
            await Task.Delay(100, stop);
        }
    }

    /// <summary>Random bytes without a line end, or with one CRLF at <paramref name="lineAt"/>.</summary>
    private static byte[] Junk(int lineAt)
    {
        var bytes = new byte[Length];
        new Random(42).NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] is (byte)'\n' or (byte)'\r') bytes[i] = 0x01;
        if (lineAt >= 0) "\r\n"u8.CopyTo(bytes.AsSpan(lineAt));
        return bytes;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
