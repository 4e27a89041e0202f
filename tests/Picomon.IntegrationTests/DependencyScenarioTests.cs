using System.Text.Json;
using Picomon.IntegrationTests.Support;
using static Picomon.IntegrationTests.Support.Scenario;

namespace Picomon.IntegrationTests;

/// <summary>Dependencies end to end (issue 14's first scenario): the published daemon, a Kestrel target whose paths the
/// test sets down and up, and aiosmtpd. A router check and 30 services depending on it through their host's
/// <c>depends-on</c>; a generous <c>group-wait</c> lets the services failing after the router's Problem is decided join
/// it, and the test waits for every service to be <c>unreachable</c> rather than for any time to pass. "No mail" is
/// asserted after later events proved the moment passed (the mails that follow, more runs at the target).</summary>
[Collection(RealTime.Name)]
public class DependencyScenarioTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private const int Services = 30;
    private static readonly string[] ServiceIds = [.. Enumerable.Range(1, Services).Select(i => $"http4/svc{i:00}")];

    // Unlike the other scenarios, the checks keep the reference's retry count.
    private static string Config(int smtpPort, int webPort) => Scenario.Config(smtpPort, $$"""
          notify { group-wait = 30s, group-interval = 1s }
          hosts {
            router { ipv4 = "127.0.0.1", name = "router" }
            services { ipv4 = "127.0.0.1", name = "services", depends-on = ["http4/router"] }
          }
          checks = [
            { type = http4, hosts = [router], name = "http4/router", port = {{webPort}}, url = "/router" }
        {{ServiceChecks(webPort)}}
          ]
        """, defaultRetry: null);

    private static string ServiceChecks(int webPort) => string.Join("\n", ServiceIds.Select(id =>
        $"    {{ type = http4, hosts = [services], name = \"{id}\", target-name = \"{id[6..]}\", port = {webPort}, url = \"/{id[6..]}\" }}"));

    /// <summary>Polls <c>picomon status --json</c> until every service is in <paramref name="state"/> (the router too, in
    /// <paramref name="router"/>).</summary>
    private static async Task StatusUntilAsync(Workspace dir, string router, string state)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            using var json = JsonDocument.Parse((await PicomonAsync(dir, "status", "--json")).Stdout);
            var states = json.RootElement.GetProperty("checks").EnumerateArray()
                .ToDictionary(c => c.GetProperty("id").GetString()!, c => (State: c.GetProperty("state").GetString(), Hold: c.GetProperty("hold").GetString()));
            if (states["http4/router"].State == router && ServiceIds.All(id => states[id].State == state))
            {
                if (state == "unreachable") Assert.All(ServiceIds, id => Assert.Equal("dependency", states[id].Hold));
                return;
            }
            if (DateTime.UtcNow > until) throw new TimeoutException($"status never showed the router {router} and every service {state}");
            await Task.Delay(200);
        }
    }

    private static void SetServicesDown(TargetWebServer web, bool down, string? except = null)
    {
        foreach (var id in ServiceIds.Where(id => id != except)) web.SetDown($"/{id[6..]}", down);
    }

    [Fact]
    public async Task A_failing_router_sends_one_Problem_listing_its_30_services_one_OK_and_a_service_still_down_after_it_its_own_Problem()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var smtp = await SmtpServer.StartAsync();
        using var picomon = await Daemon.StartAsync(dir, Config(smtp.Port, web.Port), checks: Services + 1);

        web.SetDown("/router", true);
        SetServicesDown(web, true);
        await StatusUntilAsync(dir, "error", "unreachable");
        await Daemon.SignalUntilDumpAsync(picomon);
        await picomon.WaitForOutputAsync((stdout, _) => stdout.Contains("Other checks (usually OK"), Deadline);
        Assert.Matches(@"\nsvc30: http4/svc30\nSince [^\n]+\nHeld \(dependency\)\n\tHTTP 503", picomon.Stdout);
        await MailAsync(smtp, Subject("Problem", "router"));
        var problem = smtp.Messages.Single().Message;
        var body = (problem.TextBody ?? "").ReplaceLineEndings("\n");
        Assert.StartsWith("Check http4/router (CheckHTTP4 on router):\nfailure:\nHTTP 503", body);
        var affected = body[(body.IndexOf("\n\nAffected:\n", StringComparison.Ordinal) + "\n\nAffected:\n".Length)..].TrimEnd('\n').Split('\n');
        Assert.Equal(ServiceIds, affected.Order(StringComparer.Ordinal));

        // The router and all but one service come back: one OK, the service still down its own Problem.
        SetServicesDown(web, false, except: "http4/svc07");
        web.SetDown("/router", false);
        await MailAsync(smtp, Subject("OK", "router"));
        await MailAsync(smtp, Subject("Problem", "svc07"));
        await MoreRunsAsync(web, "/svc01", 3);
        await MoreRunsAsync(web, "/svc07", 3);
        Assert.Equal([Subject("OK", "router"), Subject("Problem", "router"), Subject("Problem", "svc07")], Subjects(smtp).Order(StringComparer.Ordinal));
        Assert.Equal(problem.MessageId, Message(smtp, Subject("OK", "router")).InReplyTo);
        var (exit, status, _) = await PicomonAsync(dir, "status", "http4/svc07");
        Assert.Equal(1, exit);
        Assert.Matches(@"\nerror +http4/svc07 +svc07 ", status);

        await StopAsync(picomon);
    }
}
