using System.Net;
using System.Net.Sockets;
using System.Text;
using Picomon.Net;
using Picomon.Probes;

namespace Picomon.Tests.Net;

/// <summary>The probes' epoll-backed stream against real loopback listeners: what it sends and reads, how it fails,
/// and that a wait ends on cancellation and on disposal. The theories run the connection the probes open elsewhere than
/// on Linux (<see cref="ProbeNet.ConnectSocketAsync"/>, the runtime's socket) too: it must carry a request and fail in
/// the same words. Each wait has a generous deadline; nothing is timed.</summary>
public sealed class LoopStreamTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public LoopStreamTests() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connects as the probes do on Linux (<c>loop</c>, a <see cref="LoopStream"/>) or elsewhere (<c>portable</c>).</summary>
    private static async Task<Stream> ConnectAsync(string path, IPEndPoint endpoint, bool noDelay, CancellationToken cancellationToken) =>
        path == "loop"
            ? await LoopStream.ConnectAsync(endpoint, noDelay, cancellationToken)
            : await ProbeNet.ConnectSocketAsync(endpoint, noDelay, cancellationToken);

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task Writes_what_it_is_given_and_reads_the_reply_then_the_end(string path)
    {
        var served = Task.Run(async () =>
        {
            using var peer = await _listener.AcceptSocketAsync();
            var buffer = new byte[5];
            var got = 0;
            while (got < buffer.Length) got += await peer.ReceiveAsync(buffer.AsMemory(got));
            await peer.SendAsync(Encoding.ASCII.GetBytes($"you said {Encoding.ASCII.GetString(buffer)}"));
            peer.Shutdown(SocketShutdown.Send);
        });
        using var cancel = new CancellationTokenSource(Generous);
        await using var stream = await ConnectAsync(path, Endpoint, noDelay: false, cancel.Token);
        await stream.WriteAsync("hello"u8.ToArray(), cancel.Token);

        var reply = new MemoryStream();
        var chunk = new byte[4];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancel.Token)) > 0) reply.Write(chunk, 0, n);

        Assert.Equal("you said hello", Encoding.ASCII.GetString(reply.ToArray()));
        await served.WaitAsync(Generous);
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task A_write_larger_than_the_sockets_can_hold_waits_for_the_peer_to_read_and_then_completes(string path)
    {
        // 32 MB is more than both ends' socket buffers hold (tcp_wmem and tcp_rmem top out at a few MB), so the write
        // cannot end before the peer reads: it has to wait for the socket to be writable again, at least once (for the
        // loop stream, the loop's next write event).
        const int size = 32 << 20;
        var peerRead = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = Task.Run(async () =>
        {
            using var peer = await _listener.AcceptSocketAsync();
            var buffer = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = await peer.ReceiveAsync(buffer)) > 0) total += n;
            peerRead.SetResult(total);
        });
        using var cancel = new CancellationTokenSource(Generous);
        await using (var stream = await ConnectAsync(path, Endpoint, noDelay: false, cancel.Token))
            await stream.WriteAsync(new byte[size], cancel.Token);

        Assert.Equal(size, await peerRead.Task.WaitAsync(Generous));
        await served.WaitAsync(Generous);
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task Connecting_where_nothing_listens_is_refused_as_a_socket_would_say(string path)
    {
        var port = Endpoint.Port;
        _listener.Stop();

        var error = await Assert.ThrowsAsync<SocketException>(async () =>
            await ConnectAsync(path, new IPEndPoint(IPAddress.Loopback, port), noDelay: true, CancellationToken.None));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.Equal("Connection refused", NetErrors.Describe(error));
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task A_connect_that_gets_no_answer_ends_when_its_token_is_cancelled(string path)
    {
        // A listener with no room in its accept queue (backlog 0 holds one connection): the kernel drops the next SYN,
        // so that connect stays under way until it is given up.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var endpoint = (IPEndPoint)full.LocalEndPoint!;
        await using var first = await ConnectAsync(path, endpoint, noDelay: false, CancellationToken.None).WaitAsync(Generous);
        using var cancel = new CancellationTokenSource();

        var second = ConnectAsync(path, endpoint, noDelay: false, cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Generous));
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task A_read_from_a_silent_peer_ends_when_its_token_is_cancelled(string path)
    {
        var accepted = _listener.AcceptSocketAsync();
        await using var stream = await ConnectAsync(path, Endpoint, noDelay: false, CancellationToken.None);
        using var peer = await accepted.WaitAsync(Generous);
        using var cancel = new CancellationTokenSource();

        var read = stream.ReadAsync(new byte[16], cancel.Token).AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Generous));
    }

    [Fact]
    public async Task A_read_waiting_when_the_stream_is_disposed_ends_with_ObjectDisposedException()
    {
        var accepted = _listener.AcceptSocketAsync();
        var stream = await LoopStream.ConnectAsync(Endpoint, noDelay: false, CancellationToken.None);
        using var peer = await accepted.WaitAsync(Generous);

        var read = stream.ReadAsync(new byte[16]).AsTask();
        await stream.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.WaitAsync(Generous));
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task What_the_peer_sent_before_the_first_read_is_read(string path)
    {
        // A banner, as SMTP and Jabber servers send: it is in the socket before anything reads it. The loop stream's first
        // read waits for the read event rather than trying to receive at once (nothing had been read yet), and that event
        // comes whether the data arrived before the socket was watched or after.
        var accepted = _listener.AcceptSocketAsync();
        using var cancel = new CancellationTokenSource(Generous);
        await using var stream = await ConnectAsync(path, Endpoint, noDelay: false, cancel.Token);
        using var peer = await accepted.WaitAsync(Generous);
        // On loopback a send returns once the data is in the receiver's queue: it is there before the first read.
        await peer.SendAsync("220 ready\r\n"u8.ToArray());
        peer.Shutdown(SocketShutdown.Send);

        var reply = new MemoryStream();
        var chunk = new byte[64];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancel.Token)) > 0) reply.Write(chunk, 0, n);

        Assert.Equal("220 ready\r\n", Encoding.ASCII.GetString(reply.ToArray()));
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task Disposing_resets_the_connection_once_the_peer_has_closed_its_end_and_closes_it_as_usual_before(bool peerClosed)
    {
        var accepted = _listener.AcceptSocketAsync();
        using var cancel = new CancellationTokenSource(Generous);
        var stream = await LoopStream.ConnectAsync(Endpoint, noDelay: false, cancel.Token);
        using var peer = await accepted.WaitAsync(Generous);
        await peer.SendAsync("bye\r\n"u8.ToArray());
        if (peerClosed)
        {
            // The peer half-closes, as a server does that has answered, and keeps reading; the stream reads to the end.
            peer.Shutdown(SocketShutdown.Send);
            while (await stream.ReadAsync(new byte[16], cancel.Token) > 0) { }
        }
        else Assert.True(await stream.ReadAsync(new byte[16], cancel.Token) > 0);

        await stream.DisposeAsync();

        if (peerClosed)
        {
            var error = await Assert.ThrowsAsync<SocketException>(async () => await peer.ReceiveAsync(new byte[16], cancel.Token));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
        else Assert.Equal(0, await peer.ReceiveAsync(new byte[16], cancel.Token)); // the end, not a reset
    }

    [Theory, InlineData("loop"), InlineData("portable")]
    public async Task A_reset_by_the_peer_reads_as_connection_reset(string path)
    {
        var accepted = _listener.AcceptSocketAsync();
        await using var stream = await ConnectAsync(path, Endpoint, noDelay: false, CancellationToken.None);
        using (var peer = await accepted.WaitAsync(Generous))
        {
            peer.LingerState = new LingerOption(true, 0); // closing sends a reset
            peer.Close();
        }

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            using var cancel = new CancellationTokenSource(Generous);
            while (await stream.ReadAsync(new byte[16], cancel.Token) > 0) { }
        });

        Assert.Equal("Connection reset by peer", NetErrors.Describe(error));
    }

    [Fact]
    public async Task Many_streams_at_once_and_one_after_the_other_each_get_their_own_reply()
    {
        // More than the loop's first 64 slots, twice over: the slots grow, and are reused with a new generation.
        var served = Task.Run(async () =>
        {
            for (var i = 0; i < 400; i++)
            {
                var peer = await _listener.AcceptSocketAsync();
                _ = Task.Run(async () =>
                {
                    using (peer)
                    {
                        var id = new byte[4];
                        var got = 0;
                        while (got < 4) got += await peer.ReceiveAsync(id.AsMemory(got));
                        await peer.SendAsync(id);
                    }
                });
            }
        });
        using var cancel = new CancellationTokenSource(Generous);
        for (var round = 0; round < 2; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(round * 200, 200).Select(async i =>
            {
                await using var stream = await LoopStream.ConnectAsync(Endpoint, noDelay: false, cancel.Token);
                await stream.WriteAsync(BitConverter.GetBytes(i), cancel.Token);
                var reply = new byte[4];
                var got = 0;
                while (got < 4)
                {
                    var n = await stream.ReadAsync(reply.AsMemory(got), cancel.Token);
                    if (n == 0) break;
                    got += n;
                }
                return (Sent: i, Got: got == 4 ? BitConverter.ToInt32(reply) : -1);
            }));
            Assert.All(replies, r => Assert.Equal(r.Sent, r.Got));
        }
        await served.WaitAsync(Generous);
    }
}
