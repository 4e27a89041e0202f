using System.Net;
using Picomon.Probes;
using Picomon.Tests.Support;
using static Picomon.Tests.Probes.HttpProbeTests;

namespace Picomon.Tests.Probes;

public class HttpsProbeTests
{
    private static async Task<NetWebServer> ServerExpiringIn(TimeSpan left) =>
        await NetWebServer.StartAsync(NetWebServer.Certificate(DateTimeOffset.UtcNow + left));

    /// <summary>A success: the outcome, whatever certificate expiry it reports.</summary>
    private static void AssertOk(ProbeResult result) => Assert.Equal(ProbeResult.Ok, result with { CertificateExpiry = null });

    [Fact]
    public async Task Succeeds_over_TLS_with_an_untrusted_self_signed_certificate()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(90));
        var result = await Run(Probe("https4", web.PortV4, ("string", NetWebServer.Greeting)));
        AssertOk(result);
    }

    [Fact]
    public async Task Sends_vhost_as_the_TLS_server_name()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(90));
        var result = await Run(Probe("https4", web.PortV4, ("vhost", "www.example.org"), ("url", "/sni"),
            ("string", "sni=www.example.org")));
        AssertOk(result);
        Assert.Equal(["www.example.org"], web.ServerNames);
    }

    [Fact]
    public async Task Concurrent_checks_of_one_address_keep_their_own_server_names()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(90));
        var names = Enumerable.Range(0, 20).Select(i => $"site{i}.example.org").ToList();
        var results = await Task.WhenAll(names.Select(name =>
            Run(Probe("https4", web.PortV4, ("vhost", name), ("url", "/sni"), ("string", $"sni={name}")))));
        Assert.All(results, AssertOk);
    }

    [NetIPv6Fact]
    public async Task Https6_gets_from_the_IPv6_loopback()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(90));
        var result = await Run(Probe("https6", web.PortV6, ("vhost", "v6.example.org"), ("url", "/sni"),
            ("string", "sni=v6.example.org")), NetLoopback.V6());
        AssertOk(result);
    }

    [Fact]
    public async Task Passes_when_the_certificate_outlives_cert_min_days()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(5) + TimeSpan.FromHours(1));
        AssertOk(await Run(Probe("https4", web.PortV4, ("cert-min-days", 3))));
    }

    [Fact]
    public async Task Fails_when_the_certificate_expires_within_cert_min_days()
    {
        await using var web = await ServerExpiringIn(TimeSpan.FromDays(5) + TimeSpan.FromHours(1));
        var result = await Run(Probe("https4", web.PortV4, ("cert-min-days", 10)));
        Assert.Equal(ProbeResult.Fail("certificate expires in 5 days (cert-min-days = 10)"), result with { CertificateExpiry = null });
    }

    [Fact]
    public async Task Fails_naming_the_date_when_the_certificate_has_expired()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-3);
        await using var web = await NetWebServer.StartAsync(NetWebServer.Certificate(notAfter));
        var result = await Run(Probe("https4", web.PortV4, ("cert-min-days", 0)));
        Assert.Equal(ProbeResult.Fail($"certificate expired on {notAfter.UtcDateTime:yyyy-MM-dd}"), result with { CertificateExpiry = null });
    }

    [Fact]
    public async Task Reports_the_certificate_expiry_whatever_the_outcome_and_none_without_a_handshake()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(40);
        await using var web = await NetWebServer.StartAsync(NetWebServer.Certificate(notAfter));

        var ok = await Run(Probe("https4", web.PortV4));
        var failed = await Run(Probe("https4", web.PortV4, ("string", "not in the page")));

        // A certificate's dates are whole seconds.
        Assert.Equal(notAfter.ToUnixTimeSeconds(), ok.CertificateExpiry?.ToUnixTimeSeconds());
        Assert.Equal(TimeSpan.Zero, ok.CertificateExpiry?.Offset);
        Assert.False(failed.Success);
        Assert.Equal(ok.CertificateExpiry, failed.CertificateExpiry);
        Assert.Null((await Run(Probe("http4", web.PortV4))).CertificateExpiry);
        Assert.Null((await Run(Probe("https4", NetLoopback.ClosedPort(IPAddress.Loopback)))).CertificateExpiry);
    }

    [Fact]
    public async Task Fails_with_a_TLS_message_when_the_server_does_not_speak_TLS()
    {
        await using var plain = await NetWebServer.StartAsync();
        var result = await Run(Probe("https4", plain.PortV4));
        Assert.False(result.Success);
        Assert.StartsWith("TLS handshake failed: ", result.Message);
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        var result = await Run(Probe("https4", NetLoopback.ClosedPort(IPAddress.Loopback)));
        Assert.Equal(ProbeResult.Fail("Connection refused"), result);
    }
}
