using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The HTTP front end of the published daemon, as a browser, curl and Prometheus see it.</summary>
[Collection(RealTime.Name)]
public class HttpTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;

    private static string Config(string checks, string http = "listen = \"127.0.0.1:0\"") => $$"""
        picomon {
          base-tick = 1s
          state-dir = "state"
          default-retry = 0
          hosts { web { ipv4 = "127.0.0.1" } }
          checks = [
            {{checks}}
          ]
          http { {{http}} }
        }
        """;

    [Fact]
    public async Task Metrics_parse_with_the_prometheus_parser_with_one_check_up_per_check_and_the_certificate_expiry()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);
        await using var tls = await NetWebServer.StartAsync(NetWebServer.Certificate(notAfter));
        using var picomon = await HttpDaemon.StartAsync(dir, Config($$"""
            { type = http4, hosts = [web], name = "web/up", port = {{web.Port}}, url = "/up" }
            { type = http4, hosts = [web], name = "web/down", port = {{web.Port}}, url = "/fail" }
            { type = https4, hosts = [web], name = "web/tls", port = {{tls.PortV4}} }
            """), checks: 3);

        var text = await picomon.GetUntilAsync("/metrics", t => t.Contains("picomon_check_cert_expiry_timestamp_seconds{") && t.Contains("picomon_check_up{check=\"web/down\",type=\"http4\",target=\"127.0.0.1\"} 0"),
            "web/down failed and web/tls handshaken");
        var samples = await PrometheusParser.ParseAsync(text);

        Assert.Equal(3, samples.Count(s => s.StartsWith("gauge picomon_check_up{", StringComparison.Ordinal)));
        Assert.Contains("gauge picomon_check_up{check='web/up',target='127.0.0.1',type='http4'} 1.0", samples);
        Assert.Contains("gauge picomon_check_state{check='web/down',state='error'} 1.0", samples);
        Assert.Contains($"gauge picomon_check_cert_expiry_timestamp_seconds{{check='web/tls'}} {notAfter.ToUnixTimeSeconds()}.0", samples);
        Assert.Contains(samples, s => s.StartsWith("counter picomon_probes_total{result='failure',type='http4'} ", StringComparison.Ordinal));
        Assert.Contains("gauge picomon_build_info{version='0.1.0'} 1.0", samples);

        picomon.Process.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.Process.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task The_api_is_the_status_json_healthz_is_up_and_only_get_and_head_are_served()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await HttpDaemon.StartAsync(dir, Config($$"""
            { type = http4, hosts = [web], name = "web/up", port = {{web.Port}}, url = "/up" }
            { type = http4, hosts = [web], name = "web/down", port = {{web.Port}}, url = "/fail" }
            """), checks: 2);

        var api = await picomon.GetUntilAsync("/api/v1/checks", b => b.Contains("\"state\":\"error\""), "web/down in error");
        var status = await PicomonBinary.RunAsync(dir.Directory, Deadline, "status", "--json", "-c", "daemon.conf");
        using (var fromApi = JsonDocument.Parse(api))
        using (var fromStatus = JsonDocument.Parse(status.Stdout))
        {
            string[] Ids(JsonDocument d) => d.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
            Assert.Equal(["web/down", "web/up"], Ids(fromApi));
            Assert.Equal(Ids(fromStatus), Ids(fromApi));
            Assert.Equal(fromStatus.RootElement.GetProperty("checks")[0].EnumerateObject().Select(p => p.Name),
                fromApi.RootElement.GetProperty("checks")[0].EnumerateObject().Select(p => p.Name));
        }

        await HealthyAsync(picomon);
        using var post = await picomon.SendAsync(HttpMethod.Post, "/metrics");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(["GET", "HEAD"], post.Content.Headers.Allow);
        using var delete = await picomon.SendAsync(HttpMethod.Delete, "/nowhere");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        using var missing = await picomon.SendAsync(HttpMethod.Get, "/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var head = await picomon.SendAsync(HttpMethod.Head, "/");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var page = await picomon.SendAsync(HttpMethod.Get, "/");
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains("web/down", await page.Content.ReadAsStringAsync());

        picomon.Process.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.Process.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Basic_auth_guards_every_path_but_healthz_and_its_password_from_the_environment_is_never_logged()
    {
        using var dir = new Workspace();
        const string password = "correct horse battery staple";
        using var picomon = await HttpDaemon.StartAsync(dir,
            Config("{ type = tcp4, hosts = [web], port = 1, name = \"closed\" }",
                "listen = \"0.0.0.0:0\", basic-auth { user = \"ops\", password = ${?PICOMON_IT_HTTP_PASSWORD} }"),
            checks: 1, new Dictionary<string, string> { ["PICOMON_IT_HTTP_PASSWORD"] = password });
        foreach (var path in new[] { "/", "/api/v1/checks", "/metrics", "/nowhere" })
        {
            using var refused = await picomon.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Basic realm=\"picomon\", charset=\"UTF-8\"", refused.Headers.WwwAuthenticate.ToString());
        }
        using var wrong = await picomon.SendAsync(HttpMethod.Get, "/metrics", "ops:wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("picomon_check_up{check=\"closed\"", await picomon.GetTextAsync("/metrics", $"ops:{password}"));
        await HealthyAsync(picomon);

        picomon.Process.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.Process.WaitForExitAsync(Deadline));
        Assert.DoesNotContain(password, picomon.Process.Stdout + picomon.Process.Stderr);
    }

    /// <summary>Waits for /healthz to answer 200 (once every check is started), without credentials.</summary>
    private static async Task HealthyAsync(HttpDaemon picomon)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var health = await picomon.SendAsync(HttpMethod.Get, "/healthz");
            if (health.StatusCode == HttpStatusCode.OK) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"/healthz still {(int)health.StatusCode}: {await health.Content.ReadAsStringAsync()}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Metrics_count_the_notifications_each_channel_delivered_failed_and_holds()
    {
        using var dir = new Workspace();
        using var smtp = await SmtpServer.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        hook.Answer = WebhookReceiver.Mode.Unavailable;
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var closedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var picomon = await HttpDaemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s, default-retry = 0
              state-dir = "state"
              emails { smtp-host = "127.0.0.1:{{smtp.Port}}", smtp-tls = none }
              notify {
                channels {
                  ops  { type = mail, to = ["ops@example.org"] }
                  hook { type = webhook, url = "http://127.0.0.1:{{hook.Port}}/hook" }
                }
                default-channels = [ops, hook]
                retry-timeout = 1s
              }
              checks = [ { type = tcp4, hosts = ["127.0.0.1"], name = "closed", port = {{closedPort}} } ]
              http { listen = "127.0.0.1:0" }
            }
            """, checks: 1);

        // The webhook answers 503: its Problem waits in its outbox and each attempt counts as failed.
        await smtp.WaitForMessagesAsync(1, Deadline);
        await hook.WaitForRequestsAsync(2, Deadline);
        var down = await PrometheusParser.ParseAsync(await picomon.GetUntilAsync("/metrics",
            t => t.Contains("picomon_notifications_total{channel=\"ops\",kind=\"problem\"} 1"), "the mail counted"));
        Assert.Contains("gauge picomon_notifications_queued{channel='hook'} 1.0", down);
        Assert.Contains(down, s => s.StartsWith("counter picomon_notifications_failed_total{channel='hook'} ", StringComparison.Ordinal)
                                   && s != "counter picomon_notifications_failed_total{channel='hook'} 0.0");
        Assert.DoesNotContain(down, s => s.StartsWith("counter picomon_notifications_total{channel='hook'", StringComparison.Ordinal));

        hook.Answer = WebhookReceiver.Mode.Ok;
        await hook.WaitForAcceptedAsync(1, Deadline);
        var up = await PrometheusParser.ParseAsync(await picomon.GetUntilAsync("/metrics",
            t => t.Contains("picomon_notifications_total{channel=\"hook\",kind=\"problem\"} 1"), "the webhook delivery counted"));
        Assert.Contains("gauge picomon_notifications_queued{channel='hook'} 0.0", up);
        Assert.Contains("gauge picomon_notifications_queued{channel='ops'} 0.0", up);
        Assert.Contains("counter picomon_notifications_total{channel='ops',kind='problem'} 1.0", up);

        picomon.Process.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.Process.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task A_port_in_use_stops_the_daemon_at_start_with_one_line_and_exit_2()
    {
        using var dir = new Workspace();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        dir.Write("daemon.conf", Config("", $"listen = \"127.0.0.1:{port}\""));

        var (exit, _, stderr) = await PicomonBinary.RunAsync(dir.Directory, Deadline, "-c", "daemon.conf");

        Assert.Equal(2, exit);
        Assert.Single(stderr.Split('\n'), l => l.StartsWith($"picomon: cannot listen on 127.0.0.1:{port} (http.listen): ", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Without_http_notify_socket_or_cluster_the_daemon_loads_nothing_of_aspnet_core_systemd_or_the_cluster()
    {
        using var dir = new Workspace();
        using var picomon = await Daemon.StartAsync(dir, Config("{ type = tcp4, hosts = [web], port = 1 }", ""), checks: 1);

        var loaded = File.ReadLines($"/proc/{picomon.Pid}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[5].EndsWith(".dll", StringComparison.Ordinal)).Select(f => Path.GetFileName(f[5])).Distinct().ToList();

        Assert.Contains("picomon.dll", loaded);
        Assert.DoesNotContain(loaded, f => f.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.DoesNotContain("Microsoft.Extensions.Hosting.Systemd.dll", loaded);
        Assert.DoesNotContain(loaded, f => f.StartsWith("Akka.Cluster", StringComparison.Ordinal) || f.StartsWith("Akka.Remote", StringComparison.Ordinal));
        Assert.DoesNotContain("Npgsql.dll", loaded);
        Assert.DoesNotContain("HTTP", picomon.Stderr);
        picomon.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }
}
