using MimeKit;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The cluster with three published picomon processes on loopback, a throw-away PostgreSQL, a real SMTP server
/// (aiosmtpd) and an HTTP target whose paths the test sets up or down: checks move when a node dies, a failure across
/// the crash gives one Problem and one threaded OK, a paused node sends nothing stale, and kills during a storm of
/// transitions lose no notification and send none twice. Every node runs with <c>akka.actor.serialize-messages = on</c>,
/// so every message, local ones included, goes through its serializer. The tests wait for events (requests, mails,
/// exits) with generous deadlines and assert no duration: the benchmark measures the failover time.</summary>
[Collection(RealTime.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterTests : IAsyncLifetime
{
    private const int Checks = 12;
    private const int SigStop = 19, SigCont = 18;
    private readonly Workspace _dir = new();
    private SmtpServer _smtp = null!;
    private TargetWebServer _web = null!;
    private ClusterNodes _nodes = null!;

    private static string Path(int check) => $"/c{check}";

    public async Task InitializeAsync()
    {
        _smtp = await SmtpServer.StartAsync();
        _web = await TargetWebServer.StartAsync();
        _nodes = await ClusterNodes.CreateAsync(_dir);
        _dir.Write("cluster.conf", $$"""
            picomon {
              base-tick = 1s, default-retry = 0, default-timeout = 10s
              state-dir = "./state"
              emails {
                to = ["ops@example.org"], addr-from = "Picomon <picomon@example.org>"
                smtp-host = "127.0.0.1:{{_smtp.Port}}", smtp-tls = none, smtp-retry-timeout = 1s
              }
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [
            {{string.Join("\n", Enumerable.Range(0, Checks).Select(i =>
                $"    {{ type = http4, hosts = [web], port = {_web.Port}, url = \"{Path(i)}\", name = \"c{i}\" }}"))}}
              ]
            {{_nodes.ClusterBlock}}
            }
            """);
        await _nodes.StartAllAsync();
        await Task.WhenAll(Enumerable.Range(0, Checks).Select(i => _web.WaitForHitsAsync(Path(i), 2, Deadlines.Event * 3)));
    }

    public async Task DisposeAsync()
    {
        // What every node said, for a failure's diagnosis.
        Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults"));
        await File.WriteAllTextAsync(System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults", "cluster-nodes.log"), _nodes.AllStderr);
        _nodes.Dispose();
        _smtp.Dispose();
        await _web.DisposeAsync();
        _dir.Dispose();
    }

    private IReadOnlyList<MimeMessage> Mails(string incident, string state) =>
        _smtp.Messages.Select(m => m.Message)
            .Where(m => m.Headers["X-Picomon-Incident"] == incident && m.Subject?.StartsWith($"[DOMAIN] {state}:", StringComparison.Ordinal) == true)
            .ToList();

    private Task MailAsync(string incident, string state) =>
        _smtp.WaitUntilAsync(_ => Mails(incident, state).Count > 0, $"the {state} mail of {incident}", Deadlines.Event * 2);

    /// <summary>Exactly one Problem and one OK for the incident (a resend would carry the same Message-ID), the OK
    /// threaded to the Problem.</summary>
    private void AssertOneProblemAndOneThreadedOk(string incident)
    {
        var problem = Assert.Single(Mails(incident, "Problem").Select(m => m.MessageId).Distinct());
        var ok = Assert.Single(Mails(incident, "OK").DistinctBy(m => m.MessageId));
        Assert.Equal(problem, ok.InReplyTo);
    }

    /// <summary>A check that the given node runs now.</summary>
    private async Task<int> CheckOnNodeAsync(int node)
    {
        for (var i = 0; i < Checks; i++)
            if (await _nodes.NodeOfCheckAsync($"c{i}") == node) return i;
        throw new InvalidOperationException($"node {node} runs none of the {Checks} checks");
    }

    private async Task<IReadOnlyList<int>> ChecksOfNodeAsync(int node)
    {
        var checks = new List<int>();
        for (var i = 0; i < Checks; i++)
            if (await _nodes.NodeOfCheckAsync($"c{i}") == node) checks.Add(i);
        return checks;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_killed_nodes_checks_run_elsewhere_and_a_failure_across_the_crash_gives_one_problem_and_one_threaded_ok(bool notifierNode)
    {
        var notifier = await _nodes.NotifierNodeAsync();
        var victim = notifierNode ? notifier : (notifier + 1) % _nodes.Count;
        var moved = await ChecksOfNodeAsync(victim);
        var failing = await CheckOnNodeAsync(victim);
        _web.SetDown(Path(failing), true);
        await MailAsync($"c{failing}#1", "Problem");

        await _nodes.KillAsync(victim);
        var before = moved.ToDictionary(i => i, i => _web.Count(Path(i)));
        _web.SetDown(Path(failing), false);

        // Every check the dead node ran is requested again, by the others.
        await Task.WhenAll(moved.Select(i => _web.WaitForHitsAsync(Path(i), before[i] + 2, Deadlines.Event * 2)));
        await MailAsync($"c{failing}#1", "OK");
        AssertOneProblemAndOneThreadedOk($"c{failing}#1");
    }

    [Fact]
    public async Task A_node_paused_past_the_resolvers_decision_sends_nothing_stale_and_exits_to_be_restarted()
    {
        var paused = await _nodes.NotifierNodeAsync();
        _nodes.Node(paused).Signal(SigStop);
        await _nodes.NotifierMovedFromAsync(paused);
        var failing = await CheckOnNodeAsync((paused + 1) % _nodes.Count);
        _web.SetDown(Path(failing), true);
        await MailAsync($"c{failing}#1", "Problem");
        _web.SetDown(Path(failing), false);
        await MailAsync($"c{failing}#1", "OK");

        _nodes.Node(paused).Signal(SigCont);

        Assert.Equal(1, await _nodes.WaitForExitAsync(paused));
        Assert.Contains("This node was removed from the cluster", _nodes.AllStderr);
        // Whatever the woken node held (its partitions, the notifier) was fenced: nothing more arrived.
        Assert.Equal(2, _smtp.Messages.Count);
        AssertOneProblemAndOneThreadedOk($"c{failing}#1");
    }

    [Fact]
    public async Task Ten_random_kills_during_a_storm_of_transitions_lose_no_notification_and_send_none_twice()
    {
        var random = new Random(15);
        using var storm = new CancellationTokenSource();
        var flapping = Task.Run(async () =>
        {
            while (!storm.IsCancellationRequested)
            {
                _web.SetDown(Path(random.Next(Checks)), random.Next(2) == 0);
                await Task.Delay(700);
            }
        });
        for (var kill = 0; kill < 10; kill++)
        {
            var victim = random.Next(_nodes.Count);
            await _nodes.KillAsync(victim);
            await Task.Delay(TimeSpan.FromSeconds(2 + random.Next(4)));
            _nodes.Start(victim);
            // Back in the cluster before the next kill, so that a majority is always up.
            await _nodes.WaitUpAsync(victim);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        await storm.CancelAsync();
        await flapping;
        for (var i = 0; i < Checks; i++) _web.SetDown(Path(i), false);

        // Every incident opened is closed in the end, every Problem and OK delivered, none twice (a resend after a
        // crash would carry the same Message-ID), and incidents are numbered without a gap.
        await _smtp.WaitUntilAsync(_ => Incidents().All(i => Mails(i, "OK").Count > 0), "an OK mail for every incident",
            Deadlines.Event * 3);
        Assert.NotEmpty(Incidents());
        foreach (var incident in Incidents()) AssertOneProblemAndOneThreadedOk(incident);
        foreach (var check in Incidents().GroupBy(i => i.Split('#')[0]))
            Assert.Equal(Enumerable.Range(1, check.Count()), check.Select(i => int.Parse(i.Split('#')[1])).Order());
    }

    private IReadOnlyList<string> Incidents() =>
        _smtp.Messages.Select(m => m.Message.Headers["X-Picomon-Incident"]).OfType<string>().Distinct().ToList();
}
