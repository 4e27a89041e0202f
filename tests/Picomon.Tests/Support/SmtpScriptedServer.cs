using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Picomon.Tests.Support;

/// <summary>A loopback TCP server that plays a scripted (often hostile) SMTP peer: each accepted
/// connection is handed to a handler. Owns the listener and the handler tasks; Dispose stops both.</summary>
public sealed class SmtpScriptedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SmtpScriptedServer(Func<NetworkStream, CancellationToken, Task> handler)
    {
        _listener.Start();
        _acceptLoop = AcceptAsync(handler);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A well-formed conversation: sends <paramref name="greeting"/>, then for each command line
    /// the text <paramref name="reply"/> returns (null: close the connection).</summary>
    public static SmtpScriptedServer Conversation(string greeting, Func<string, string?> reply) =>
        new(async (stream, ct) =>
        {
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await WriteAsync(stream, greeting, ct);
            while (await reader.ReadLineAsync(ct) is { } command)
            {
                if (reply(command) is not { } answer) return;
                await WriteAsync(stream, answer, ct);
            }
        });

    public static Task WriteAsync(NetworkStream stream, string text, CancellationToken ct) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _acceptLoop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { /* stopping */ }
        _stop.Dispose();
    }

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> handler)
    {
        var running = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                running.Add(ServeAsync(client, handler));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
        await Task.WhenAll(running);
    }

    private async Task ServeAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> handler)
    {
        using (client)
        {
            try { await handler(client.GetStream(), _stop.Token); }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException) { /* peer gone or stopping */ }
        }
    }
}
