using System.Net;
using System.Net.Sockets;
using System.Text;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class TcpProbeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(700);

    private static IProbe Tcp(int port, string? send = null, string? expect = null)
    {
        var options = new List<(string, object)> { ("port", port) };
        if (send is not null) options.Add(("send", send));
        if (expect is not null) options.Add(("expect", expect));
        return OptionValues.Probe("tcp4", [.. options]);
    }

    private static Task<ProbeResult> Run(IProbe probe, TimeSpan timeout, ProbeTarget? target = null) =>
        ProbeRunner.RunAsync(probe, target ?? NetLoopback.V4(), timeout);

    [Fact]
    public async Task Succeeds_when_the_connection_is_accepted()
    {
        await using var server = NetTcpServer.Silent(IPAddress.Loopback);
        Assert.Equal(ProbeResult.Ok, await Run(Tcp(server.Port), Generous));
    }

    [NetIPv6Fact]
    public async Task Tcp6_connects_to_the_IPv6_loopback()
    {
        await using var server = NetTcpServer.Silent(IPAddress.IPv6Loopback);
        var probe = OptionValues.Probe("tcp6", ("port", server.Port));
        Assert.Equal(ProbeResult.Ok, await Run(probe, Generous, NetLoopback.V6()));
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        var result = await Run(Tcp(NetLoopback.ClosedPort(IPAddress.Loopback)), Generous);
        Assert.Equal(ProbeResult.Fail("Connection refused"), result);
    }

    [Fact]
    public async Task Sends_the_send_text_and_succeeds_when_the_reply_matches_expect()
    {
        await using var server = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            using var reader = new StreamReader(stream);
            var line = await reader.ReadLineAsync(stop);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"+OK got {line}\r\n"), stop);
        });
        var result = await Run(Tcp(server.Port, send: "PING 42\r\n", expect: @"^\+OK got PING 42\r?$"), Generous);
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Fails_quoting_the_first_line_when_the_reply_does_not_match()
    {
        await using var server = NetTcpServer.Replying(IPAddress.Loopback, "-ERR go away\r\nsecond line\r\n"u8.ToArray());
        var result = await Run(Tcp(server.Port, expect: @"^\+OK"), Generous);
        Assert.Equal(ProbeResult.Fail(@"reply does not match '^\+OK': -ERR go away"), result);
    }

    [Fact]
    public async Task Fails_when_the_server_closes_without_a_reply()
    {
        await using var server = new NetTcpServer(IPAddress.Loopback, (_, _) => Task.CompletedTask);
        var result = await Run(Tcp(server.Port, send: "HELLO\r\n", expect: "^OK"), Generous);
        Assert.Equal(ProbeResult.Fail("connection closed without reply"), result);
    }

    [Fact]
    public async Task Times_out_when_the_server_stays_silent()
    {
        await using var server = NetTcpServer.Silent(IPAddress.Loopback);
        var result = await Run(Tcp(server.Port, expect: "^OK"), Short);
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
    }

    [Fact]
    public async Task Escapes_control_characters_when_quoting_a_garbage_reply()
    {
        await using var server = NetTcpServer.Replying(IPAddress.Loopback, [0x00, 0x1b, (byte)'x', 0xff, (byte)'\t', (byte)'y']);
        var result = await Run(Tcp(server.Port, expect: "^OK"), Generous);
        Assert.Equal(ProbeResult.Fail("reply does not match '^OK': \\x00\\x1bx\ufffd\\x09y"), result);
    }

    [Fact]
    public async Task A_slow_drip_that_never_matches_ends_at_the_timeout()
    {
        await using var server = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            while (true)
            {
                await stream.WriteAsync("x"u8.ToArray(), stop);
                await Task.Delay(100, stop);
            }
        });
        var result = await Run(Tcp(server.Port, expect: "^OK"), Short);
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
    }

    [Fact]
    public async Task An_endless_reply_is_read_only_up_to_the_cap()
    {
        var written = 0L;
        await using var server = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            var chunk = Enumerable.Repeat((byte)'A', 1 << 20).ToArray();
            while (true)
            {
                await stream.WriteAsync(chunk, stop);
                Interlocked.Add(ref written, chunk.Length);
            }
        });
        // A probe that buffered everything would never end before the timeout; this one stops at 64 KiB.
        var result = await Run(Tcp(server.Port, expect: "^OK"), Generous);
        Assert.Equal(ProbeResult.Fail($"reply does not match '^OK': {new string('A', 200)}…"), result);
    }

    [Fact]
    public void Requires_a_port_and_takes_send_and_expect()
    {
        var type = CheckTypes.Find("tcp6")!;
        Assert.Equal("CheckTCP6", type.MailName);
        Assert.Equal(["port", "send", "expect"], type.OptionNames);
        Assert.Throws<ArgumentException>(() => OptionValues.Read(type, ("send", "x")));
    }
}
