using System.Net;
using Picomon.Cli;
using Picomon.Configuration;

namespace Picomon.Tests.Configuration;

/// <summary><c>picomon.http</c>: off by default, the forms of <c>listen</c>, and a non-loopback address refused
/// without basic-auth or the explicit opt-out. (The error lines themselves are in testdata/config/bad/http-*.)</summary>
public class HttpSettingsTests
{
    private static PicomonSettings Load(string hocon, Func<string, string?>? environment = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-http-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return ConfigLoader.Load(path, environment ?? (_ => null)); }
        finally { File.Delete(path); }
    }

    private static IReadOnlyList<string> Errors(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-http-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, hocon);
        try { return Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, _ => null)).Errors.Select(e => e.ToString()).ToList(); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Http_is_off_by_default_and_in_the_shipped_sample()
    {
        Assert.Equal(HttpSettings.Off, Load("").Http);
        Assert.Equal(HttpSettings.Off, ConfigLoader.Load(null).Http);
        Assert.Contains("  http: off\n", ConfigSummary.Render(Load("")));
    }

    [Theory]
    [InlineData("127.0.0.1:9325", "127.0.0.1", 9325)]
    [InlineData("localhost:9325", "127.0.0.1", 9325)]
    [InlineData("[::1]:80", "::1", 80)]
    [InlineData("127.0.0.2:0", "127.0.0.2", 0)]
    public void A_loopback_listen_address_needs_no_authentication(string listen, string address, int port)
    {
        var http = Load($"picomon.http.listen = \"{listen}\"").Http;
        Assert.Equal(new HttpEndpoint(IPAddress.Parse(address), port), http.Listen);
        Assert.Null(http.BasicAuth);
    }

    [Theory]
    [InlineData("9325")]
    [InlineData("127.0.0.1")]
    [InlineData("::1:9325")]
    [InlineData("[127.0.0.1]:9325")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.1:9325")]
    [InlineData("localhost:-1")]
    public void A_listen_address_that_is_not_address_colon_port_is_an_error(string listen)
    {
        var error = Assert.Single(Errors($"picomon.http.listen = \"{listen}\""));
        Assert.EndsWith($":1: picomon.http.listen: expected address:port with an IP address or localhost (IPv6 as [addr]:port), got '{listen}'", error);
    }

    [Fact]
    public void A_remote_address_is_accepted_with_basic_auth_whose_password_comes_from_the_environment()
    {
        var settings = Load("""
            picomon.http {
              listen = "0.0.0.0:9325"
              basic-auth { user = "ops", password = ${?PICOMON_HTTP_PASSWORD} }
            }
            """, name => name == "PICOMON_HTTP_PASSWORD" ? "s3cret pass" : null);

        Assert.Equal(new BasicAuth("ops", "s3cret pass"), settings.Http.BasicAuth);
        Assert.DoesNotContain("s3cret", settings.Http.ToString());
        var summary = ConfigSummary.Render(settings);
        Assert.Contains("  http: 0.0.0.0:9325 (basic auth as ops)\n", summary);
        Assert.DoesNotContain("s3cret", summary);
    }

    [Fact]
    public void A_remote_address_is_accepted_with_the_explicit_opt_out()
    {
        var settings = Load("""picomon.http { listen = "[::]:9325", allow-remote-unauthenticated = true }""");
        Assert.Equal(new HttpEndpoint(IPAddress.IPv6Any, 9325), settings.Http.Listen);
        Assert.Contains("  http: [::]:9325 (no authentication, allow-remote-unauthenticated)\n", ConfigSummary.Render(settings));
    }

    [Fact]
    public void Basic_auth_without_its_password_is_an_error_that_never_shows_a_password()
    {
        var errors = Errors("""
            picomon.http.listen = "0.0.0.0:1"
            picomon.http.basic-auth { user = "ops" }
            """);
        var error = Assert.Single(errors);
        Assert.EndsWith(":2: picomon.http.basic-auth.password: missing: basic-auth needs a user and a password", error);
    }

    [Fact]
    public void An_empty_password_is_refused_without_echoing_anything()
    {
        var error = Assert.Single(Errors("""picomon.http.basic-auth { user = "ops", password = "" }"""));
        Assert.EndsWith(":1: picomon.http.basic-auth.password: must not be empty", error);
    }
}
