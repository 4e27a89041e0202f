using System.Net;
using System.Net.Sockets;
using System.Text;
using Picomon.Probes;
using Picomon.Tests.Support;
using static Picomon.Tests.Probes.HttpProbeTests;

namespace Picomon.Tests.Probes;

/// <summary>The hand-written HTTP/1.x reading of the http checks, against scripted loopback servers that
/// read the request, then answer with exact bytes.</summary>
public class HttpWireTests
{
    /// <summary>Reads the request head, then writes <paramref name="parts"/> one by one (flushed apart, so
    /// the probe sees them in separate reads) and closes.</summary>
    private static NetTcpServer Answering(params string[] parts) => new(IPAddress.Loopback, async (stream, stop) =>
    {
        await ReadRequestAsync(stream, stop);
        foreach (var part in parts)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(part), stop);
            await stream.FlushAsync(stop);
            await Task.Delay(20, stop);
        }
    });

    private static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken stop)
    {
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n"))
        {
            var n = await stream.ReadAsync(buffer, stop);
            if (n == 0) break;
            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return request.ToString();
    }

    private static async Task<ProbeResult> GetFrom(NetTcpServer server, params (string, object)[] options)
    {
        await using (server) return await Run(Probe("http4", server.Port, options));
    }

    [Fact]
    public async Task Finds_a_string_split_across_chunks()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "7\r\nhello w\r\n", "5\r\norld!\r\n", "0\r\n\r\n"), ("string", "hello world!"));
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Matches_the_decoded_chunked_body_not_the_chunk_framing()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "3\r\nab\n\r\n", "2\r\ncd\r\n0\r\n\r\n"), ("string", "ab\ncd"));
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Ignores_chunk_extensions()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, Chunked\r\n\r\n",
            "4;name=value;x=\"y\"\r\npico\r\n3 ; last\r\nmon\r\n0;end\r\nTrailer: t\r\n\r\n"), ("string", "picomon"));
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Fails_clearly_on_an_invalid_chunk_size()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"),
            ("string", "hello"));
        Assert.Equal(ProbeResult.Fail("invalid HTTP response: invalid chunk size 'zz'"), result);
    }

    [Fact]
    public async Task Reads_a_body_without_Content_Length_until_the_server_closes()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", "first part, ",
            "then the end"), ("string", "the end"));
        Assert.Equal(ProbeResult.Ok, result);
    }

    [Fact]
    public async Task Reports_a_string_missing_from_a_body_read_until_close()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\n\r\n", "some body"), ("string", "nope"));
        Assert.Equal(ProbeResult.Fail("string 'nope' not found in body"), result);
    }

    [Fact]
    public async Task Fails_clearly_on_a_header_block_over_64_KiB()
    {
        var headers = string.Concat(Enumerable.Range(0, 700).Select(i => $"X-Filler-{i}: {new string('x', 100)}\r\n"));
        var result = await GetFrom(Answering($"HTTP/1.1 200 OK\r\n{headers}\r\nok"));
        Assert.Equal(ProbeResult.Fail("invalid HTTP response: response headers exceed 64 KiB"), result);
    }

    [Fact]
    public async Task Accepts_a_header_block_just_under_64_KiB()
    {
        var headers = string.Concat(Enumerable.Range(0, 600).Select(i => $"X-Filler-{i}: {new string('x', 90)}\r\n"));
        Assert.Equal(ProbeResult.Ok, await GetFrom(Answering($"HTTP/1.1 200 OK\r\n{headers}\r\nok"), ("string", "ok")));
    }

    [Fact]
    public async Task Understands_HTTP_1_0_responses()
    {
        Assert.Equal(ProbeResult.Ok, await GetFrom(Answering("HTTP/1.0 200 OK\r\n\r\nold school"), ("string", "school")));
        Assert.Equal(ProbeResult.Fail("HTTP 404 Not Found (expected 2xx/3xx)"),
            await GetFrom(Answering("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")));
    }

    [Fact]
    public async Task Skips_a_100_Continue_interim_response()
    {
        var result = await GetFrom(Answering("HTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown"));
        Assert.Equal(ProbeResult.Fail("HTTP 503 Service Unavailable (expected 2xx/3xx)"), result);
        Assert.Equal(ProbeResult.Ok, await GetFrom(Answering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
            ("string", "hello")));
    }

    [Fact]
    public async Task Names_the_status_when_the_server_sends_no_reason_phrase()
    {
        var result = await GetFrom(Answering("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal(ProbeResult.Fail("HTTP 503 Service Unavailable (expected 2xx/3xx)"), result);
    }

    [Fact]
    public async Task Reads_no_further_than_Content_Length()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello world"), ("string", "world"));
        Assert.Equal(ProbeResult.Fail("string 'world' not found in body"), result);
    }

    [Fact]
    public async Task Fails_clearly_when_the_server_closes_without_a_response()
    {
        var result = await GetFrom(Answering());
        Assert.Equal(ProbeResult.Fail("invalid HTTP response: the server closed the connection without a response"), result);
    }

    [Fact]
    public async Task Fails_clearly_on_conflicting_Content_Lengths()
    {
        var result = await GetFrom(Answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello"));
        Assert.Equal(ProbeResult.Fail("invalid HTTP response: invalid Content-Length '7'"), result);
    }

    [Fact]
    public async Task Sends_one_close_delimited_GET_naming_Picomon()
    {
        var request = new TaskCompletionSource<string>();
        await using var server = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            request.TrySetResult(await ReadRequestAsync(stream, stop));
            await stream.WriteAsync("HTTP/1.1 204 No Content\r\n\r\n"u8.ToArray(), stop);
        });
        Assert.Equal(ProbeResult.Ok, await Run(Probe("http4", server.Port, ("url", "/a b?q=1#frag"), ("vhost", "www.example.org"))));
        var lines = (await request.Task).Split("\r\n");
        Assert.Equal("GET /a%20b?q=1 HTTP/1.1", lines[0]);
        Assert.Contains("Host: www.example.org", lines);
        Assert.Contains("Connection: close", lines);
        Assert.Contains($"User-Agent: picomon/{OptionValues.Version}", lines);
    }

    [Fact]
    public async Task Rejects_a_vhost_that_would_break_the_request_apart()
    {
        await using var server = Answering("HTTP/1.1 200 OK\r\n\r\n");
        var result = await Run(Probe("http4", server.Port, ("vhost", "a.example\r\nX-Evil: 1")));
        Assert.Equal(ProbeResult.Fail("invalid vhost 'a.example\r\nX-Evil: 1'"), result);
    }

    [Fact]
    public async Task Sends_a_url_longer_than_the_first_buffer()
    {
        var path = "/" + new string('p', 6000);
        var request = new TaskCompletionSource<string>();
        await using var server = new NetTcpServer(IPAddress.Loopback, async (stream, stop) =>
        {
            request.TrySetResult(await ReadRequestAsync(stream, stop));
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), stop);
        });
        Assert.Equal(ProbeResult.Ok, await Run(Probe("http4", server.Port, ("url", path), ("string", "ok"))));
        Assert.StartsWith($"GET {path} HTTP/1.1\r\n", await request.Task);
    }
}
