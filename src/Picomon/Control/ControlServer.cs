using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace Picomon.Control;

/// <summary>The daemon's end of the control socket (<see cref="ControlProtocol"/>): accepts connections, reads
/// one request line each, routes it by command name to its <see cref="IControlHandler"/> and writes the answer.
/// Each connection is served on its own, bounded in size and time, so a client that connects and says nothing
/// holds nothing but its own slot for <see cref="RequestTime"/>; at most <see cref="MaxConnections"/> are served
/// at once, and the ones beyond are told the daemon is busy. Disposing it stops accepting and removes the socket.</summary>
public sealed class ControlServer : IAsyncDisposable
{
    public const int MaxConnections = 16;

    /// <summary>How long a client has to send its request line.</summary>
    public static readonly TimeSpan RequestTime = TimeSpan.FromSeconds(5);

    /// <summary>How long answering may take, writing included (a reload reads the file; a status of 100,000
    /// checks is a few megabytes for a client that may read slowly).</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(60);

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections);
    private Dictionary<string, IControlHandler> _handlers = [];
    private ILogger? _log;
    private Task _accepting = Task.CompletedTask;

    private ControlServer(Socket listener, string path) => (_listener, SocketPath) = (listener, path);

    public string SocketPath { get; }

    /// <summary>Creates the socket (see <see cref="ControlSocket"/>); nothing is answered before <see cref="Start"/>,
    /// connections wait in the backlog meanwhile.</summary>
    /// <exception cref="ControlSocketException">The socket cannot be created.</exception>
    public static ControlServer Bind(string stateDir) =>
        new(ControlSocket.Listen(stateDir), ControlProtocol.SocketPath(stateDir));

    /// <summary>Starts answering with <paramref name="handlers"/> (one per command name).</summary>
    public void Start(IEnumerable<IControlHandler> handlers, ILogger log)
    {
        _handlers = handlers.ToDictionary(h => h.Command, StringComparer.Ordinal);
        _log = log;
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors, most likely: wait rather than spin.
                _log?.LogWarning("Control socket: cannot accept a connection: {Message}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        var served = _slots.Wait(0);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            deadline.CancelAfter(RequestTime);
            var (header, result) = served
                ? await HandleAsync(client, deadline)
                : (new ControlHeader(ControlProtocol.Version, false, "the daemon is busy; try again"), null);
            await AnswerAsync(client, header, result, deadline.Token);
            // Closing with input unread would reset the connection before the client has read the answer.
            await ControlWire.DrainAsync(client, deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            _log?.LogDebug("Control socket: connection dropped: {Message}", e.Message);
        }
        finally
        {
            if (served) _slots.Release();
        }
    }

    /// <summary>Reads the request within <see cref="RequestTime"/>, then answers it within <see cref="AnswerTime"/>.</summary>
    private async Task<(ControlHeader, ControlResult?)> HandleAsync(Socket client, CancellationTokenSource deadline)
    {
        var cancel = deadline.Token;
        try
        {
            var request = ControlWire.ParseRequest((await ControlWire.ReadRequestAsync(client, cancel)).Span);
            deadline.CancelAfter(AnswerTime);
            if (!_handlers.TryGetValue(request.Command, out var handler))
                throw new ControlRequestException($"unknown command '{request.Command}'");
            _log?.LogDebug("Control socket: {Command}", request.Command);
            return (new ControlHeader(ControlProtocol.Version, true, null), await handler.HandleAsync(request.Args, cancel));
        }
        catch (ControlRequestException e)
        {
            return (new ControlHeader(ControlProtocol.Version, false, e.Message), null);
        }
        catch (AskTimeoutException e)
        {
            _log?.LogWarning("Control socket: no answer in time from the actors: {Message}", e.Message);
            return (new ControlHeader(ControlProtocol.Version, false, "the daemon did not answer in time"), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A handler's failure ends its request, never the daemon.
            _log?.LogWarning("Control socket: a request failed: {Error}", e);
            return (new ControlHeader(ControlProtocol.Version, false, $"the request failed: {e.Message}"), null);
        }
    }

    private static async Task AnswerAsync(Socket client, ControlHeader header, ControlResult? result, CancellationToken cancel)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        await JsonSerializer.SerializeAsync(stream, header, ControlJson.Default.ControlHeader, cancel);
        stream.WriteByte((byte)'\n');
        if (result is not null)
        {
            await JsonSerializer.SerializeAsync(stream, result.Value, result.TypeInfo, cancel);
            stream.WriteByte((byte)'\n');
        }
        await stream.FlushAsync(cancel);
        client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Stops accepting, cuts the connections being served, and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        try { File.Delete(SocketPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log?.LogWarning("Cannot remove {Path}: {Message}", SocketPath, e.Message);
        }
        // _stopping is not disposed: connections still being served hold tokens linked to it (it owns no timer).
    }
}
