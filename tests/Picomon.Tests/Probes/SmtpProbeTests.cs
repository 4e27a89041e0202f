using System.Net;
using System.Net.Sockets;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public sealed class SmtpProbeTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    private static ProbeTarget Loopback => new("localhost", "localhost", "127.0.0.1", AddressFamily.InterNetwork);

    private static Task<ProbeResult> Run(int port, TimeSpan timeout, params (string, object)[] options) =>
        ProbeRunner.RunAsync(OptionValues.Probe("smtp4", [("port", port), .. options]), Loopback, timeout);

    /// <summary>A polite server that accepts everything, with replies overridable per command verb.</summary>
    private static SmtpScriptedServer Polite(string greeting = "220 test ready\r\n", Func<string, string?>? overrides = null) =>
        SmtpScriptedServer.Conversation(greeting, command => overrides?.Invoke(command) ?? command switch
        {
            _ when command.StartsWith("QUIT") => "221 bye\r\n",
            _ => "250 OK\r\n",
        });

    [Fact]
    public async Task Succeeds_against_a_real_smtp_server()
    {
        using var server = await SmtpServer.StartAsync();
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous));
    }

    [Theory]
    [InlineData("NOOP", "^250")]
    [InlineData("RSET", "^250 ")]
    [InlineData("VRFY root", "^252")]
    public async Task Succeeds_when_the_reply_to_the_command_matches(string command, string response)
    {
        using var server = await SmtpServer.StartAsync();
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous, ("command", command), ("response", response)));
    }

    [Fact]
    public async Task Fails_when_the_reply_to_the_command_does_not_match_the_default_response()
    {
        using var server = await SmtpServer.StartAsync();
        var result = await Run(server.Port, Generous, ("command", "VRFY root"));
        Assert.False(result.Success);
        Assert.StartsWith("reply to 'VRFY root' does not match '^250': 252 ", result.Message);
    }

    [Fact]
    public async Task Sends_the_configured_from_address()
    {
        string? seen = null;
        using var server = Polite(overrides: c => { if (c.StartsWith("MAIL")) seen = c; return null; });
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous, ("from-addr", "probe@example.org")));
        Assert.Equal("MAIL FROM:<probe@example.org>", seen);
    }

    [Fact]
    public async Task Fails_with_the_greeting_when_it_is_not_220()
    {
        using var server = SmtpScriptedServer.Conversation("554 go away\r\n", _ => null);
        Assert.Equal(ProbeResult.Fail("unexpected greeting: 554 go away"), await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Accepts_a_multi_line_greeting()
    {
        using var server = Polite("220-first line\r\n220-second line\r\n220 ready\r\n");
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Falls_back_to_HELO_when_EHLO_is_rejected()
    {
        var commands = new List<string>();
        using var server = Polite(overrides: c => { commands.Add(c); return c.StartsWith("EHLO") ? "502 no ESMTP\r\n" : null; });
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous));
        Assert.Equal(["EHLO", "HELO", "MAIL", "QUIT"], commands.Select(c => c[..4]));
    }

    [Fact]
    public async Task Fails_when_EHLO_and_HELO_are_rejected()
    {
        using var server = Polite(overrides: c => c.StartsWith("EHLO") || c.StartsWith("HELO") ? "502 5.5.1 not here\r\n" : null);
        Assert.Equal(ProbeResult.Fail("EHLO and HELO rejected: 502 5.5.1 not here"), await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Fails_when_MAIL_FROM_is_rejected()
    {
        using var server = Polite(overrides: c => c.StartsWith("MAIL") ? "550 5.7.1 sender refused\r\n" : null);
        Assert.Equal(ProbeResult.Fail("MAIL FROM rejected: 550 5.7.1 sender refused"), await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Succeeds_when_the_server_hangs_up_instead_of_answering_QUIT()
    {
        using var server = SmtpScriptedServer.Conversation("220 hi\r\n", c => c.StartsWith("QUIT") ? null : "250 OK\r\n");
        Assert.Equal(ProbeResult.Ok, await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Fails_when_the_server_closes_during_the_greeting()
    {
        using var server = new SmtpScriptedServer((_, _) => Task.CompletedTask);
        Assert.Equal(ProbeResult.Fail("connection closed by server during greeting"), await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.Equal(ProbeResult.Fail("Connection refused"), await Run(port, Generous));
    }

    [Fact]
    public async Task Times_out_when_the_server_says_nothing()
    {
        using var server = new SmtpScriptedServer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), await Run(server.Port, Short));
    }

    [Fact]
    public async Task Times_out_when_the_server_drips_its_greeting_slowly()
    {
        using var server = new SmtpScriptedServer(async (stream, ct) =>
        {
            while (true)
            {
                await SmtpScriptedServer.WriteAsync(stream, "2", ct);
                await Task.Delay(50, ct);
            }
        });
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), await Run(server.Port, Short));
    }

    [Fact]
    public async Task Escapes_control_characters_of_a_garbage_greeting()
    {
        using var server = SmtpScriptedServer.Conversation("\u0001\u0002garbage\tin\r\n", _ => null);
        Assert.Equal(ProbeResult.Fail(@"unexpected greeting: \x01\x02garbage\x09in"), await Run(server.Port, Generous));
    }

    [Fact]
    public async Task Truncates_a_long_reply_line()
    {
        using var server = SmtpScriptedServer.Conversation("554 " + new string('x', 5000) + "\r\n", _ => null);
        var result = await Run(server.Port, Generous);
        Assert.StartsWith("unexpected greeting: 554 xxx", result.Message);
        Assert.EndsWith("x…", result.Message);
        Assert.InRange(result.Message.Length, 200, 230);
    }

    [Fact]
    public async Task Fails_within_the_read_cap_when_a_line_never_ends()
    {
        using var server = new SmtpScriptedServer(async (stream, ct) =>
        {
            var chunk = new string('A', 64 * 1024);
            for (var i = 0; i < 64; i++) await SmtpScriptedServer.WriteAsync(stream, chunk, ct);
        });
        Assert.Equal(ProbeResult.Fail("reply exceeds 64 KiB during greeting"), await Run(server.Port, Generous));
    }

    [Fact]
    public void Registers_smtp4_and_smtp6_with_their_mail_names_and_families()
    {
        var v4 = CheckTypes.Find("smtp4")!;
        var v6 = CheckTypes.Find("smtp6")!;
        Assert.Equal(("CheckSMTP4", AddressFamily.InterNetwork, TargetKind.Hosts), (v4.MailName, v4.Family, v4.Targets));
        Assert.Equal(("CheckSMTP6", AddressFamily.InterNetworkV6), (v6.MailName, v6.Family));
        Assert.Equal(["from-addr", "command", "response", "port"], v4.OptionNames);
        Assert.Equal(new SmtpOptions("picomon@localhost.local", null, new Pattern("^250"), 25), OptionValues.Read(v4));
    }
}
