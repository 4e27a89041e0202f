using System.Net;
using System.Net.Sockets;
using System.Text;
using Picomon.Net;
using Picomon.Probes;

namespace Picomon.Tests.Probes;

/// <summary>The connection the probes open elsewhere than on Linux (<see cref="ProbeNet.ConnectSocketAsync"/>, the
/// runtime's sockets), run here against real loopback listeners: it carries a request and its reply, and it fails and
/// gives up as the Linux one (<see cref="LoopStream"/>) does, in the same words. Each wait has a generous deadline;
/// nothing is timed.</summary>
public sealed class ProbeNetTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ProbeNetTests() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    [Fact]
    public async Task The_portable_connection_carries_a_request_and_reads_the_reply_to_its_end()
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
        await using var stream = await ProbeNet.ConnectSocketAsync(Endpoint, noDelay: true, cancel.Token);
        await stream.WriteAsync("hello"u8.ToArray(), cancel.Token);

        var reply = new MemoryStream();
        await stream.CopyToAsync(reply, cancel.Token);

        Assert.Equal("you said hello", Encoding.ASCII.GetString(reply.ToArray()));
        await served.WaitAsync(Generous);
    }

    [Fact]
    public async Task A_refused_portable_connection_is_described_as_the_Linux_one()
    {
        var endpoint = Endpoint;
        _listener.Stop();

        var portable = await Assert.ThrowsAsync<SocketException>(() => ProbeNet.ConnectSocketAsync(endpoint, noDelay: false, CancellationToken.None));
        var linux = await Assert.ThrowsAsync<SocketException>(async () =>
            await LoopStream.ConnectAsync(endpoint, noDelay: false, CancellationToken.None));

        Assert.Equal(SocketError.ConnectionRefused, portable.SocketErrorCode);
        Assert.Equal(NetErrors.Describe(linux), NetErrors.Describe(portable));
        Assert.Equal("Connection refused", NetErrors.Describe(portable));
    }

    [Fact]
    public async Task A_portable_connect_that_gets_no_answer_ends_when_its_token_is_cancelled()
    {
        // A listener with no room in its accept queue (backlog 0 holds one connection): the kernel drops the next SYN,
        // so that connect stays under way until it is given up.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var endpoint = (IPEndPoint)full.LocalEndPoint!;
        await using var first = await ProbeNet.ConnectSocketAsync(endpoint, noDelay: false, CancellationToken.None).WaitAsync(Generous);
        using var cancel = new CancellationTokenSource();

        var second = ProbeNet.ConnectSocketAsync(endpoint, noDelay: false, cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Generous));
    }
}
