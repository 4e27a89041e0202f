using System.Net;
using System.Net.Sockets;
using System.Text;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class JabberProbeTests(NetProsody prosody) : IClassFixture<NetProsody>
{
    private const string ServerStream = "<?xml version='1.0'?><stream:stream from='localhost' id='x1' version='1.0' "
        + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(700);

    private static Task<ProbeResult> Run(string type, int port, ProbeTarget target, TimeSpan? timeout = null) =>
        ProbeRunner.RunAsync(OptionValues.Probe(type, ("port", port)), target, timeout ?? Generous);

    /// <summary>Reads the client's stream header (up to its closing <c>&gt;</c>), then answers.</summary>
    private static NetTcpServer FakeServer(string answer, Action<string>? received = null) =>
        new(IPAddress.Loopback, async (stream, stop) =>
        {
            var header = new StringBuilder();
            var one = new byte[1];
            while (!header.ToString().EndsWith("version='1.0'>") && await stream.ReadAsync(one, stop) == 1)
                header.Append((char)one[0]);
            received?.Invoke(header.ToString());
            await stream.WriteAsync(Encoding.UTF8.GetBytes(answer), stop);
            await Task.Delay(Timeout.Infinite, stop);
        });

    [Fact]
    public async Task Succeeds_against_prosody_for_a_host_it_serves()
    {
        Assert.Equal(ProbeResult.Ok, await Run("jabber4", prosody.Port, NetLoopback.V4("localhost")));
    }

    [NetIPv6Fact]
    public async Task Jabber6_succeeds_against_prosody_on_the_IPv6_loopback()
    {
        Assert.Equal(ProbeResult.Ok, await Run("jabber6", prosody.Port, NetLoopback.V6("localhost")));
    }

    [Fact]
    public async Task Fails_with_prosodys_stream_error_for_a_host_it_does_not_serve()
    {
        var result = await Run("jabber4", prosody.Port, NetLoopback.V4("nosuch.example"));
        Assert.Equal(ProbeResult.Fail("XMPP stream error: host-unknown (This server does not serve nosuch.example)"), result);
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        var result = await Run("jabber4", NetLoopback.ClosedPort(IPAddress.Loopback), NetLoopback.V4("localhost"));
        Assert.Equal(ProbeResult.Fail("Connection refused"), result);
    }

    [Fact]
    public async Task Addresses_the_stream_to_the_target_address_when_its_name_is_not_a_DNS_name()
    {
        var header = "";
        await using var server = FakeServer(ServerStream + "<stream:features/>", h => header = h);
        Assert.Equal(ProbeResult.Ok, await Run("jabber4", server.Port, NetLoopback.V4("127.0.0.1/::1")));
        Assert.Equal("<?xml version='1.0'?><stream:stream to='127.0.0.1' xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>", header);
    }

    [Fact]
    public async Task Times_out_when_the_server_stays_silent()
    {
        await using var server = NetTcpServer.Silent(IPAddress.Loopback);
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), await Run("jabber4", server.Port, NetLoopback.V4(), Short));
    }

    [Fact]
    public async Task Fails_quoting_a_reply_that_is_not_an_XMPP_stream()
    {
        await using var server = NetTcpServer.Replying(IPAddress.Loopback, "220 mail.example ESMTP\r\n"u8.ToArray());
        var result = await Run("jabber4", server.Port, NetLoopback.V4());
        Assert.Equal(ProbeResult.Fail("no XMPP stream in reply: 220 mail.example ESMTP"), result);
    }

    [Fact]
    public async Task Fails_when_the_server_closes_without_a_reply()
    {
        await using var server = new NetTcpServer(IPAddress.Loopback, (_, _) => Task.CompletedTask);
        Assert.Equal(ProbeResult.Fail("connection closed without reply"), await Run("jabber4", server.Port, NetLoopback.V4()));
    }

    [Fact]
    public async Task Fails_on_a_stream_error_without_text()
    {
        await using var server = FakeServer(ServerStream
            + "<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        var result = await Run("jabber4", server.Port, NetLoopback.V4("localhost"));
        Assert.Equal(ProbeResult.Fail("XMPP stream error: system-shutdown"), result);
    }

    [Fact]
    public void Registers_jabber4_and_jabber6_with_port_5222_by_default()
    {
        Assert.Equal(("CheckJabber4", new JabberOptions(5222)), (CheckTypes.Find("jabber4")!.MailName, OptionValues.Read(CheckTypes.Find("jabber4")!)));
        Assert.Equal(AddressFamily.InterNetworkV6, CheckTypes.Find("jabber6")!.Family);
    }
}
