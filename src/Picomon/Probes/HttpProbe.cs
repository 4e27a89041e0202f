using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>http4/6</c> and <c>https4/6</c>: <c>status</c>, <c>vhost</c>, <c>string</c> (the text
/// the body must contain), <c>url</c>, <c>port</c>, and for HTTPS only <c>cert-min-days</c>.</summary>
public sealed record HttpOptions(int? Status, string? Vhost, string? Expected, string Url, int Port, int? CertMinDays) : CheckOptions
{
    public static HttpOptions Read(OptionReader r, bool tls) =>
        new(r.Integer("status", 100, 599), r.Text("vhost"), r.Text("string"),
            r.ValidatedText("url", u => u.StartsWith('/') ? null : $"must be a path starting with '/', got '{u}'", "/"),
            r.Port("port", HttpProbe.DefaultPort(tls)), tls ? r.Integer("cert-min-days", 0, 36500) : null);
}

/// <summary>The <c>http4/6</c> and <c>https4/6</c> checks: one GET of <c>url</c> on the host's own address
/// (never what DNS says of <c>vhost</c>), <c>vhost</c> as Host header and TLS SNI, redirects not followed;
/// success is <c>status</c> (else any 2xx/3xx) and, with <c>string</c>, that text in the first 64 KiB of
/// the body. Like the original's check_http, HTTPS checks reachability, not trust: the certificate chain
/// and name are not validated; <c>cert-min-days</c> only looks at the certificate's expiry date.
/// The request is written and the response read by hand (<see cref="HttpWire"/>) on a fresh connection
/// closed after the run: at thousands of probes a second, HttpClient's machinery cost more CPU than the
/// sockets themselves.</summary>
public sealed class HttpProbe : IProbe
{
    private readonly bool _tls;
    private readonly HttpOptions _options;
    private readonly string _requestHead, _requestTail;

    /// <param name="version">Picomon's version, sent as <c>User-Agent: picomon/VERSION</c>.</param>
    public HttpProbe(bool tls, HttpOptions options, string version)
    {
        (_tls, _options) = (tls, options);
        // As HttpClient did: non-ASCII and unsafe characters escaped, a fragment not sent.
        var target = Uri.TryCreate("http://host" + options.Url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : options.Url;
        _requestHead = $"GET {target} HTTP/1.1\r\nHost: ";
        // Interned: one copy for the thousands of probes of a large configuration.
        _requestTail = string.Intern($"\r\nUser-Agent: picomon/{version}\r\nConnection: close\r\n\r\n");
    }

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Entry("http4", "CheckHTTP4", AddressFamily.InterNetwork, tls: false),
        Entry("http6", "CheckHTTP6", AddressFamily.InterNetworkV6, tls: false),
        Entry("https4", "CheckHTTPS4", AddressFamily.InterNetwork, tls: true),
        Entry("https6", "CheckHTTPS6", AddressFamily.InterNetworkV6, tls: true),
    ];

    private static CheckType Entry(string name, string mailName, AddressFamily family, bool tls) =>
        CheckType.Of(name, mailName, TargetKind.Hosts, family, r => HttpOptions.Read(r, tls),
            (o, version) => new HttpProbe(tls, o, version));

    /// <summary>The port of HTTP (80) or HTTPS (443): the <c>port</c> option's default, and left out of the Host header.</summary>
    internal static int DefaultPort(bool tls) => tls ? 443 : 80;

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var host = target.Address is null ? null : HostHeader(target.Address);
        if (host is not null && !IsHost(host))
            return ProbeResult.Fail(_options.Vhost is null ? $"invalid host name '{target.Address}'" : $"invalid vhost '{_options.Vhost}'");
        // Nagle's algorithm off for TLS only: a plain request is written at once, in one piece.
        var (stream, error) = await ProbeNet.OpenAsync(target, _options.Port, noDelay: _tls, cancellationToken);
        if (stream is null) return ProbeResult.Fail(error!);
        try
        {
            DateTime? notAfter = null;
            if (_tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                if (await HandshakeAsync(ssl, _options.Vhost ?? target.Address!, cancellationToken) is { } failed) return failed;
                notAfter = (ssl.RemoteCertificate as X509Certificate2)?.NotAfter.ToUniversalTime();
            }
            using var wire = new HttpWire(stream);
            await wire.SendAsync(_requestHead, host!, _requestTail, cancellationToken);
            await wire.ReadHeadAsync(cancellationToken);
            var result = CheckStatus(wire) ?? await CheckBodyAsync(wire, cancellationToken) ?? CheckCertificate(notAfter)
                ?? ProbeResult.Ok;
            return notAfter is { } expiry ? result with { CertificateExpiry = new DateTimeOffset(expiry, TimeSpan.Zero) } : result;
        }
        catch (HttpWireException e)
        {
            return ProbeResult.Fail($"invalid HTTP response: {e.Message}");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return ProbeResult.Fail(NetErrors.Describe(e));
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    // The Host header of the last address this probe ran for (a probe serves one check, so one address, but may be shared):
    // worked out once rather than parsed and formatted at every run.
    private KnownHost? _knownHost;

    private sealed record KnownHost(string Address, string Header);

    private string HostHeader(string address)
    {
        if (_options.Vhost is not null) return _options.Vhost;
        if (_knownHost is { } known && known.Address == address) return known.Header;
        var header = HostHeaderOf(address);
        _knownHost = new KnownHost(address, header);
        return header;
    }

    private string HostHeaderOf(string address)
    {
        var host = IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
        return _options.Port == DefaultPort(_tls) ? host : $"{host}:{_options.Port}";
    }

    /// <summary>Whether a Host header value is a host name or address, with an optional port: nothing that
    /// could break the request apart or smuggle in a header.</summary>
    private static bool IsHost(string host)
    {
        if (host.Length == 0) return false;
        foreach (var c in host)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_' or ':' or '[' or ']' or '%')) return false;
        return true;
    }

    /// <summary>Shakes hands with SNI = <paramref name="serverName"/>, trusting any certificate (see the class).</summary>
    private static async Task<ProbeResult?> HandshakeAsync(SslStream ssl, string serverName, CancellationToken cancellationToken)
    {
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                CertificateChainPolicy = new X509ChainPolicy
                {
                    DisableCertificateDownloads = true,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            }, cancellationToken);
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return ProbeResult.Fail($"TLS handshake failed: {e.Message}");
        }
    }

    private ProbeResult? CheckStatus(HttpWire wire)
    {
        if (_options.Status is { } wanted ? wire.Status == wanted : wire.Status is >= 200 and < 400) return null;
        // No reason phrase sent: name the status as HttpClient did ("HTTP 503 Service Unavailable").
        var reason = wire.Reason.Length > 0 ? wire.Reason : new HttpResponseMessage((HttpStatusCode)wire.Status).ReasonPhrase;
        return ProbeResult.Fail($"HTTP {wire.Status}{(string.IsNullOrEmpty(reason) ? "" : $" {reason}")} (expected {_options.Status?.ToString() ?? "2xx/3xx"})");
    }

    private async Task<ProbeResult?> CheckBodyAsync(HttpWire wire, CancellationToken cancellationToken) =>
        _options.Expected is null || await wire.BodyContainsAsync(_options.Expected, cancellationToken)
            ? null
            : ProbeResult.Fail($"string '{_options.Expected}' not found in body");

    private ProbeResult? CheckCertificate(DateTime? notAfter)
    {
        if (_options.CertMinDays is not { } minDays) return null;
        if (notAfter is not { } expiry) return ProbeResult.Fail("the server sent no certificate");
        var left = expiry - DateTime.UtcNow;
        if (left < TimeSpan.Zero) return ProbeResult.Fail($"certificate expired on {expiry:yyyy-MM-dd}");
        var days = (int)Math.Floor(left.TotalDays);
        return days >= minDays
            ? null
            : ProbeResult.Fail($"certificate expires in {days} day{(days == 1 ? "" : "s")} (cert-min-days = {minDays})");
    }
}
