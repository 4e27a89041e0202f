using System.Net.Sockets;
using System.Text.Json;

namespace Picomon.Control;

/// <summary>Reading a request off the wire, bounded: at most <see cref="ControlProtocol.MaxRequestBytes"/> up to
/// the first line end (or the end of the stream), parsed strictly.</summary>
public static class ControlWire
{
    /// <summary>The request line without its line end.</summary>
    /// <exception cref="ControlRequestException">The line is too long.</exception>
    public static async Task<ReadOnlyMemory<byte>> ReadRequestAsync(Socket client, CancellationToken cancel)
    {
        var buffer = new byte[ControlProtocol.MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancel);
            if (read == 0) return buffer.AsMemory(0, length);
            var end = Array.IndexOf(buffer, (byte)'\n', length, read);
            if (end >= 0) return buffer.AsMemory(0, end);
            length += read;
        }
        throw new ControlRequestException($"request longer than {ControlProtocol.MaxRequestBytes} bytes");
    }

    /// <summary>Reads and drops what the client still sends, until it closes its end.</summary>
    public static async Task DrainAsync(Socket client, CancellationToken cancel)
    {
        var buffer = new byte[512];
        while (await client.ReceiveAsync(buffer, SocketFlags.None, cancel) > 0) { }
    }

    /// <exception cref="ControlRequestException">Not a request of this protocol's version.</exception>
    public static ControlRequest ParseRequest(ReadOnlySpan<byte> line)
    {
        ControlRequest request;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJson.Default.ControlRequest)
                      ?? throw new JsonException("null request");
        }
        catch (JsonException e)
        {
            throw new ControlRequestException($"bad request: {e.Message}");
        }
        if (request.Version != ControlProtocol.Version)
            throw new ControlRequestException(
                $"unsupported protocol version {request.Version}; this daemon speaks version {ControlProtocol.Version}");
        return request;
    }
}
