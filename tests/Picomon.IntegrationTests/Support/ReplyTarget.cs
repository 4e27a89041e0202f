using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Picomon.IntegrationTests.Support;

/// <summary>A TCP target on 127.0.0.1 for <c>tcp4</c> checks with <c>expect</c>: it writes <see cref="Reply"/> to each
/// connection and closes it, so the test decides whether the checks succeed.</summary>
public sealed class ReplyTarget : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public ReplyTarget()
    {
        _listener.Start(1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>What each connection is told (a check expecting <c>^ok</c> fails on anything else).</summary>
    public volatile string Reply = "ok\n";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = AnswerAsync(client);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested) return;
            }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try { await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Reply), _stop.Token); }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { /* the check gave up */ }
        }
    }
}
