using System.Net;
using System.Net.Sockets;

namespace Picomon.Benchmarks;

/// <summary>A TCP target on 127.0.0.1: <see cref="Mode.Close"/> accepts and closes at once (a healthy
/// <c>tcp4</c> check); <see cref="Mode.Hang"/> accepts and holds every connection silent until disposed,
/// so an HTTP check against it times out; <see cref="Mode.Reply"/> writes <see cref="Reply"/> and closes.</summary>
public sealed class Listener : IDisposable
{
    public enum Mode { Close, Hang, Reply }

    private readonly Socket _socket;
    private readonly Mode _mode;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public Listener(Mode mode)
    {
        _mode = mode;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Listen(16384);
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        for (var i = 0; i < 2; i++) _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    private int _accepted;

    /// <summary>What <see cref="Mode.Reply"/> writes to each connection.</summary>
    public volatile string Reply = "ok\n";

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested) return;
                await Task.Delay(10); // EMFILE and the like: back off, keep serving
                continue;
            }
            Interlocked.Increment(ref _accepted);
            if (_mode == Mode.Hang)
            {
                lock (_held) _held.Add(client);
                continue;
            }
            if (_mode == Mode.Reply) _ = ReplyAsync(client);
            else client.Dispose();
        }
    }

    private async Task ReplyAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(Reply));
                client.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The check gave up first; nothing to do.
            }
        }
    }

    /// <summary>Closes the connections held so far (between runs, so fds do not pile up).</summary>
    public void Release()
    {
        lock (_held)
        {
            foreach (var s in _held) s.Dispose();
            _held.Clear();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        Release();
    }
}
