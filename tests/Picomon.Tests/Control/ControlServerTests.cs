using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Picomon.Control;

namespace Picomon.Tests.Control;

/// <summary>The control socket over a real Unix socket, with a test handler: routing, limits, the socket's
/// mode and life cycle, and what the client makes of each answer.</summary>
public sealed class ControlServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("picomon-ctl-").FullName;
    private ControlServer _server = null!;

    private string SocketPath => Path.Combine(_dir, ControlProtocol.SocketName);

    /// <summary>Answers how many patterns it was given.</summary>
    private sealed class CountHandler()
        : ControlHandler<PatternArgs, RunNowResult>("count", ControlJson.Default.PatternArgs, ControlJson.Default.RunNowResult)
    {
        protected override Task<RunNowResult> HandleAsync(PatternArgs args, CancellationToken cancel) =>
            Task.FromResult(new RunNowResult(args.Patterns.Count));
    }

    private sealed class FailingHandler()
        : ControlHandler<NoArgs, RunNowResult>("fail", ControlJson.Default.NoArgs, ControlJson.Default.RunNowResult)
    {
        protected override Task<RunNowResult> HandleAsync(NoArgs args, CancellationToken cancel) =>
            throw new InvalidOperationException("broken on purpose");
    }

    public Task InitializeAsync()
    {
        _server = ControlServer.Bind(_dir);
        _server.Start([new CountHandler(), new FailingHandler()], NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<string> AskAsync(string command, params string[] patterns) =>
        ControlClient.RequestAsync(_dir, command, new PatternArgs { Patterns = patterns }, ControlJson.Default.PatternArgs, CancellationToken.None)
            .WaitAsync(Deadline);

    /// <summary>Sends raw bytes and returns everything the server answers before it closes.</summary>
    private async Task<string> RawAsync(string request)
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        return await ReadToEndAsync(socket);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync().WaitAsync(Deadline);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void The_socket_is_created_owner_only_and_nothing_else_is_left_in_the_state_dir()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Equal([SocketPath], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task A_request_is_routed_by_its_command_and_answered_with_a_header_and_the_result()
    {
        Assert.Equal("""{"matched":2}""", await AskAsync("count", "http4/*", "ping4/router"));

        Assert.Equal("""
            {"version":1,"ok":true,"error":null}
            {"matched":0}

            """.ReplaceLineEndings("\n"), await RawAsync("""{"version":1,"command":"count"}""" + "\n"));
    }

    [Theory]
    [InlineData("""{"version":1,"command":"nope"}""", "unknown command 'nope'")]
    [InlineData("""{"version":2,"command":"count"}""", "unsupported protocol version 2; this daemon speaks version 1")]
    [InlineData("""{"version":1}""", "bad request: ")]
    [InlineData("not json", "bad request: ")]
    [InlineData("""{"version":1,"command":"count","args":{"patterns":null}}""", "bad arguments for 'count': ")]
    [InlineData("""{"version":1,"command":"fail"}""", "the request failed: broken on purpose")]
    public async Task A_request_the_daemon_cannot_take_is_answered_with_an_error_header_only(string request, string error)
    {
        var answer = await RawAsync(request + "\n");

        var header = Assert.Single(answer.TrimEnd('\n').Split('\n'));
        var parsed = JsonSerializer.Deserialize(header, ControlJson.Default.ControlHeader)!;
        Assert.Equal((1, false), (parsed.Version, parsed.Ok));
        Assert.StartsWith(error, parsed.Error);
    }

    [Fact]
    public async Task A_request_line_over_the_limit_is_refused()
    {
        var answer = await RawAsync(new string(' ', ControlProtocol.MaxRequestBytes + 10) + "\n");

        var header = JsonSerializer.Deserialize(answer.TrimEnd('\n'), ControlJson.Default.ControlHeader)!;
        Assert.Equal($"request longer than {ControlProtocol.MaxRequestBytes} bytes", header.Error);
    }

    [Fact]
    public async Task The_client_reports_a_refusal_as_unavailable_with_the_daemons_reason()
    {
        var refused = await Assert.ThrowsAsync<ControlUnavailableException>(() => AskAsync("nope"));
        Assert.Equal($"the daemon on {_dir} refused the request: unknown command 'nope'", refused.Message);
    }

    [Fact]
    public async Task A_silent_client_holds_nothing_and_is_dropped()
    {
        using var silent = await ConnectAsync();

        Assert.Equal("""{"matched":1}""", await AskAsync("count", "x"));
        Assert.Equal("", await ReadToEndAsync(silent)); // closed by the server, without an answer
    }

    [Fact]
    public async Task Beyond_the_connection_limit_a_client_is_told_the_daemon_is_busy()
    {
        var silent = new List<Socket>();
        for (var i = 0; i < ControlServer.MaxConnections; i++) silent.Add(await ConnectAsync());
        try
        {
            var busy = await Assert.ThrowsAsync<ControlUnavailableException>(() => AskAsync("count"));
            Assert.EndsWith("refused the request: the daemon is busy; try again", busy.Message);
        }
        finally
        {
            foreach (var socket in silent) socket.Dispose();
        }
    }

    [Fact]
    public async Task Stopping_removes_the_socket_and_the_client_then_finds_no_daemon()
    {
        await _server.DisposeAsync();

        Assert.False(File.Exists(SocketPath));
        var missing = await Assert.ThrowsAsync<ControlUnavailableException>(() => AskAsync("count"));
        Assert.Equal($"no daemon is running on {_dir}", missing.Message);
    }

    [Fact]
    public async Task A_stale_socket_is_replaced_and_a_live_one_is_not()
    {
        var live = Assert.Throws<ControlSocketException>(() => ControlServer.Bind(_dir));
        Assert.Equal($"another picomon answers on {SocketPath}", live.Message);

        await _server.DisposeAsync();
        // What a kill -9 leaves: a socket file nobody listens on any more (it refuses connections). .NET would
        // remove the file when disposing its socket; a process that exits leaves it, as a killed daemon does.
        using (var bind = Process.Start("/usr/bin/python3", ["-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", SocketPath]))
            await bind.WaitForExitAsync().WaitAsync(Deadline);
        Assert.True(File.Exists(SocketPath));
        var refused = await Assert.ThrowsAsync<ControlUnavailableException>(() => AskAsync("count"));
        Assert.Equal($"no daemon is running on {_dir}", refused.Message);

        _server = ControlServer.Bind(_dir);
        _server.Start([new CountHandler()], NullLogger.Instance);
        Assert.Equal("""{"matched":0}""", await AskAsync("count"));
    }
}
