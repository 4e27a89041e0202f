using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Picomon.Control;

/// <summary>The subcommands' end of the control socket: one request to the daemon of a state-dir, its result
/// read whole. Every way of not getting a result is a <see cref="ControlUnavailableException"/> with the line
/// to print.</summary>
public static class ControlClient
{
    /// <summary>Longer than the daemon's own bound on an answer, so its "did not answer in time" comes first.</summary>
    public static readonly TimeSpan AnswerTime = ControlServer.AnswerTime + TimeSpan.FromSeconds(10);

    /// <summary>Sends <paramref name="command"/> with <paramref name="args"/> and returns the result's JSON text.</summary>
    /// <exception cref="ControlUnavailableException">No daemon, no answer, or a refusal.</exception>
    public static async Task<string> RequestAsync<TArgs>(string stateDir, string command, TArgs args,
        JsonTypeInfo<TArgs> argsInfo, CancellationToken cancel)
    {
        var directory = Path.GetFullPath(stateDir);
        var request = new ControlRequest(ControlProtocol.Version, command, JsonSerializer.SerializeToElement(args, argsInfo));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(AnswerTime);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        byte[] answer;
        try
        {
            await ConnectAsync(socket, directory, deadline.Token);
            var line = JsonSerializer.SerializeToUtf8Bytes(request, ControlJson.Default.ControlRequest);
            await socket.SendAsync(line.Append((byte)'\n').ToArray(), SocketFlags.None, deadline.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var received = new MemoryStream();
            await stream.CopyToAsync(received, deadline.Token);
            answer = received.ToArray();
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new ControlUnavailableException($"no answer from the daemon on {directory} within {AnswerTime.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            throw new ControlUnavailableException($"lost the connection to the daemon on {directory}: {e.Message}");
        }
        return ResultOf(answer, directory);
    }

    /// <summary>Reads a result of <paramref name="info"/>'s type; a result that does not read is the daemon's fault.</summary>
    public static T Read<T>(string json, JsonTypeInfo<T> info, string stateDir)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw new JsonException("null result");
        }
        catch (JsonException e)
        {
            throw new ControlUnavailableException($"unreadable answer from the daemon on {Path.GetFullPath(stateDir)}: {e.Message}");
        }
    }

    private static async Task ConnectAsync(Socket socket, string directory, CancellationToken cancel)
    {
        var path = Path.Combine(directory, ControlProtocol.SocketName);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
        }
        // A missing socket (or state-dir) says "address not available"; a stale one, left by a killed daemon, refuses.
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused)
        {
            throw new ControlUnavailableException($"no daemon is running on {directory}");
        }
        catch (SocketException e)
        {
            throw new ControlUnavailableException($"cannot connect to {path}: {e.Message}");
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ControlUnavailableException($"no daemon is running on {directory} (the path is too long for a socket)");
        }
    }

    private static string ResultOf(byte[] answer, string directory)
    {
        var end = Array.IndexOf(answer, (byte)'\n');
        ControlHeader? header = null;
        try
        {
            if (end >= 0) header = JsonSerializer.Deserialize(answer.AsSpan(0, end), ControlJson.Default.ControlHeader);
        }
        catch (JsonException)
        {
            // reported below, as any answer without a header
        }
        if (header is null)
            throw new ControlUnavailableException($"unreadable answer from the daemon on {directory}");
        if (!header.Ok)
            throw new ControlUnavailableException($"the daemon on {directory} refused the request: {header.Error}");
        return Encoding.UTF8.GetString(answer.AsSpan(end + 1)).TrimEnd('\n');
    }
}

/// <summary>The daemon could not be asked, or did not answer; the message is the line to print (exit 3).</summary>
public sealed class ControlUnavailableException(string message) : Exception(message);
