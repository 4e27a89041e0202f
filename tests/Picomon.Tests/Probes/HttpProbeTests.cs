using System.Net;
using System.Text;
using Picomon.Probes;
using Picomon.Tests.Support;

namespace Picomon.Tests.Probes;

public class HttpProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private NetWebServer _web = null!;

    public async Task InitializeAsync() => _web = await NetWebServer.StartAsync();

    public async Task DisposeAsync() => await _web.DisposeAsync();

    internal static IProbe Probe(string type, int port, params (string, object)[] options) =>
        OptionValues.Probe(type, [("port", port), .. options]);

    internal static Task<ProbeResult> Run(IProbe probe, ProbeTarget? target = null, TimeSpan? timeout = null) =>
        ProbeRunner.RunAsync(probe, target ?? NetLoopback.V4(), timeout ?? Generous);

    private Task<ProbeResult> Get(params (string, object)[] options) => Run(Probe("http4", _web.PortV4, options));

    [Fact]
    public async Task Succeeds_on_200()
    {
        Assert.Equal(ProbeResult.Ok, await Get());
    }

    [NetIPv6Fact]
    public async Task Http6_gets_from_the_IPv6_loopback()
    {
        var result = await Run(Probe("http6", _web.PortV6, ("string", NetWebServer.Greeting)), NetLoopback.V6());
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Fails_on_503_naming_status_and_reason()
    {
        var result = await Get(("url", "/status/503"));
        Assert.Equal(ProbeResult.Fail("HTTP 503 Service Unavailable (expected 2xx/3xx)"), result);
    }

    [Fact]
    public async Task Succeeds_when_the_status_is_the_expected_redirect()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/redirect"), ("status", 302)));
    }

    [Fact]
    public async Task Fails_when_the_status_is_not_the_expected_one()
    {
        Assert.Equal(ProbeResult.Fail("HTTP 200 OK (expected 302)"), await Get(("status", 302)));
    }

    [Fact]
    public async Task A_redirect_succeeds_without_status_and_is_not_followed()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/redirect")));
        Assert.Equal(0, _web.RedirectTargetHits);
    }

    [Fact]
    public async Task Sends_vhost_as_the_Host_header()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/host"), ("vhost", "www.example.org"), ("string", "host=www.example.org")));
    }

    [Fact]
    public async Task Sends_the_address_and_port_as_Host_without_vhost()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/host"), ("string", $"host=127.0.0.1:{_web.PortV4}")));
    }

    [Fact]
    public async Task Succeeds_when_the_body_contains_string()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("string", "picomon test")));
    }

    [Fact]
    public async Task Fails_when_the_body_lacks_string()
    {
        Assert.Equal(ProbeResult.Fail("string 'hello world' not found in body"), await Get(("string", "hello world")));
    }

    [Fact]
    public async Task Gets_the_given_url_path()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/deep/path"), ("string", "the deep path")));
    }

    [Fact]
    public async Task Reads_at_most_64_KiB_of_the_body()
    {
        Assert.Equal(ProbeResult.Ok, await Get(("url", "/big"), ("string", "aaaa")));
        Assert.Equal(ProbeResult.Fail("string 'needle' not found in body"), await Get(("url", "/big"), ("string", "needle")));
    }

    [Fact]
    public async Task Connects_to_the_port_option()
    {
        var result = await Run(Probe("http4", NetLoopback.ClosedPort(IPAddress.Loopback)));
        Assert.Equal(ProbeResult.Fail("Connection refused"), result);
    }

    [Fact]
    public async Task Times_out_on_a_server_that_accepts_and_stays_silent()
    {
        await using var silent = NetTcpServer.Silent(IPAddress.Loopback);
        var result = await Run(Probe("http4", silent.Port), timeout: TimeSpan.FromMilliseconds(700));
        Assert.Equal(ProbeResult.Fail(ProbeRunner.TimedOut), result);
    }

    [Fact]
    public async Task Fails_clearly_on_a_garbage_answer()
    {
        await using var garbage = NetTcpServer.Replying(IPAddress.Loopback, "SSH-2.0-OpenSSH_9.2\r\n\x01\x02"u8.ToArray());
        var result = await Run(Probe("http4", garbage.Port));
        Assert.False(result.Success);
        Assert.StartsWith("invalid HTTP response: ", result.Message);
    }

    [Fact]
    public async Task Fails_clearly_when_the_server_closes_in_the_middle_of_the_body()
    {
        var cut = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part");
        await using var server = NetTcpServer.Replying(IPAddress.Loopback, cut);
        var result = await Run(Probe("http4", server.Port, ("string", "never there")));
        Assert.False(result.Success);
        Assert.StartsWith("invalid HTTP response: ", result.Message);
    }

    [Fact]
    public void Registers_the_four_types_with_their_options()
    {
        Assert.Equal(["CheckHTTP4", "CheckHTTP6", "CheckHTTPS4", "CheckHTTPS6"],
            new[] { "http4", "http6", "https4", "https6" }.Select(t => CheckTypes.Find(t)!.MailName));
        Assert.Equal(["status", "vhost", "string", "url", "port"], CheckTypes.Find("http4")!.OptionNames);
        Assert.Equal(["status", "vhost", "string", "url", "port", "cert-min-days"], CheckTypes.Find("https4")!.OptionNames);
        Assert.Equal(new HttpOptions(null, null, null, "/", 443, null), OptionValues.Read(CheckTypes.Find("https6")!));
        Assert.Equal(new HttpOptions(null, null, null, "/", 80, null), OptionValues.Read(CheckTypes.Find("http6")!));
    }
}
