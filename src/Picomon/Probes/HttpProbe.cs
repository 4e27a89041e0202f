using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Picomon.Probes;

/// <summary>The <c>http4/6</c> and <c>https4/6</c> checks: one GET of <c>url</c> on the host's own address
/// (never what DNS says of <c>vhost</c>), <c>vhost</c> as Host header and TLS SNI, redirects not followed;
/// success is <c>status</c> (else any 2xx/3xx) and, with <c>string</c>, that text in the first 64 KiB of
/// the body. Like the original's check_http, HTTPS checks reachability, not trust: the certificate chain
/// and name are not validated; <c>cert-min-days</c> only looks at the certificate's expiry date.
/// All checks share one handler: its connect callback dials the address the request carries and does
/// the TLS handshake itself, and a zero connection lifetime gives every request a private, unstored
/// connection pool, so a check costs a few fields and no connection outlives its run.</summary>
public sealed class HttpProbe(bool tls, int port, string url, string? vhost, int? status, string? expected, int? certMinDays)
    : IProbe
{
    private static readonly HttpRequestOptionsKey<ConnectionPlan> PlanKey = new("Picomon.HttpProbe.Plan");

    private static readonly HttpMessageInvoker Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectCallback = ConnectAsync,
    });

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Entry("http4", "CheckHTTP4", AddressFamily.InterNetwork, tls: false),
        Entry("http6", "CheckHTTP6", AddressFamily.InterNetworkV6, tls: false),
        Entry("https4", "CheckHTTPS4", AddressFamily.InterNetwork, tls: true),
        Entry("https6", "CheckHTTPS6", AddressFamily.InterNetworkV6, tls: true),
    ];

    private static CheckType Entry(string name, string mailName, AddressFamily family, bool tls)
    {
        var defaultPort = tls ? 443 : 80;
        List<OptionSpec> options =
        [
            OptionSpec.Integer("status", 100, 599), OptionSpec.Text("vhost"), OptionSpec.Text("string"),
            OptionSpec.ValidatedText("url", u => u.StartsWith('/') ? null : $"must be a path starting with '/', got '{u}'", "/"), OptionSpec.Port("port", defaultPort),
        ];
        if (tls) options.Add(OptionSpec.Integer("cert-min-days", 0, 36500));
        return new(name, mailName, TargetKind.Hosts, family, options, o => new HttpProbe(tls,
            o.Integer("port") ?? defaultPort, o.Text("url") ?? "/", o.Text("vhost"), o.Integer("status"),
            o.Text("string"), o.Integer("cert-min-days")));
    }

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        if (target.Address is null) return ProbeResult.Fail("no address to connect to");
        var (address, error) = await ProbeNet.ResolveAsync(target.Address, target.Family, cancellationToken);
        if (address is null) return ProbeResult.Fail(error!);
        var plan = new ConnectionPlan(new IPEndPoint(address, port), tls ? vhost ?? target.Address : null);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{UriHost(address.ToString())}:{port}{url}");
        request.Options.Set(PlanKey, plan);
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Picomon", "1"));
        try
        {
            request.Headers.Host = HostHeader(target.Address);
        }
        catch (FormatException)
        {
            return ProbeResult.Fail($"invalid vhost '{vhost}'");
        }
        try
        {
            using var response = await Client.SendAsync(request, cancellationToken);
            return CheckStatus(response) ?? await CheckBodyAsync(response, cancellationToken) ?? CheckCertificate(plan)
                ?? ProbeResult.Ok;
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail(Describe(e));
        }
        catch (HttpIOException e)
        {
            return ProbeResult.Fail($"invalid HTTP response: {ProbeNet.FirstLine(e.Message)}");
        }
        catch (IOException e)
        {
            return ProbeResult.Fail(ProbeNet.Describe(e));
        }
    }

    private string HostHeader(string address)
    {
        if (vhost is not null) return vhost;
        var host = UriHost(address);
        return port == (tls ? 443 : 80) ? host : $"{host}:{port}";
    }

    private static string UriHost(string address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

    private ProbeResult? CheckStatus(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        if (status is { } wanted ? code == wanted : code is >= 200 and < 400) return null;
        var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? "" : $" {response.ReasonPhrase}";
        return ProbeResult.Fail($"HTTP {code}{reason} (expected {status?.ToString() ?? "2xx/3xx"})");
    }

    private async Task<ProbeResult?> CheckBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (expected is null) return null;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var (found, _) = await TcpProbe.ReadUntilAsync(
            body, text => text.Contains(expected, StringComparison.Ordinal), cancellationToken);
        return found ? null : ProbeResult.Fail($"string '{expected}' not found in body");
    }

    private ProbeResult? CheckCertificate(ConnectionPlan plan)
    {
        if (certMinDays is not { } minDays) return null;
        if (plan.NotAfter is not { } notAfter) return ProbeResult.Fail("the server sent no certificate");
        var left = notAfter - DateTime.UtcNow;
        if (left < TimeSpan.Zero) return ProbeResult.Fail($"certificate expired on {notAfter:yyyy-MM-dd}");
        var days = (int)Math.Floor(left.TotalDays);
        return days >= minDays
            ? null
            : ProbeResult.Fail($"certificate expires in {days} day{(days == 1 ? "" : "s")} (cert-min-days = {minDays})");
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TlsHandshakeException tls) return $"TLS handshake failed: {tls.Message}";
            if (inner is SocketException socket) return ProbeNet.Describe(socket);
        }
        // .NET quotes what the server sent (an invalid status line, up to 64 KiB of it, control characters
        // included): keep one short printable line of it.
        var message = ProbeNet.FirstLine(e.Message);
        return e.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded
            ? $"invalid HTTP response: {message}"
            : message;
    }

    /// <summary>Dials the address the probe resolved (carried by the request), and for HTTPS shakes hands
    /// with SNI = vhost, keeping the certificate's expiry for <c>cert-min-days</c>.</summary>
    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(PlanKey, out var plan))
            throw new InvalidOperationException("HttpProbe's handler got a request without a connection plan");
        var socket = new Socket(plan.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(plan.EndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        return plan.ServerName is null ? stream : await HandshakeAsync(stream, plan, cancellationToken);
    }

    private static async Task<Stream> HandshakeAsync(NetworkStream stream, ConnectionPlan plan, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = plan.ServerName,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    DisableCertificateDownloads = true,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            }, cancellationToken);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new TlsHandshakeException(e);
        }
        plan.NotAfter = (ssl.RemoteCertificate as X509Certificate2)?.NotAfter.ToUniversalTime();
        return ssl;
    }

    /// <summary>Where one request connects, and what its TLS handshake learnt.</summary>
    private sealed class ConnectionPlan(IPEndPoint endPoint, string? serverName)
    {
        public IPEndPoint EndPoint { get; } = endPoint;
        public string? ServerName { get; } = serverName;
        public DateTime? NotAfter { get; set; }
    }

    private sealed class TlsHandshakeException(Exception inner) : Exception(inner.Message, inner);
}
