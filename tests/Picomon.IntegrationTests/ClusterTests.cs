using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>The cluster with three published picomon processes on loopback, a throw-away PostgreSQL, a real SMTP server
/// (aiosmtpd) and an HTTP target whose paths the test sets up or down. Each test starts one cluster and takes it
/// through several scenarios in turn (a cluster start is the slow part): status and reload on any node span the
/// cluster; a killed node's checks run elsewhere and a failure across the crash gives one Problem and one threaded OK;
/// a paused node sends nothing stale; a minority exits; kills during a storm of transitions lose no notification and
/// send none twice. The messages between nodes go through Picomon's serializer (<c>akka.actor.serialize-messages = on</c>
/// is tried in the unit tests: in these processes it would also drop Akka.Cluster's own ReachabilityChanged event,
/// which no serializer carries, and stall the cluster). The tests wait for events (requests, mails, exits) with generous deadlines
/// and assert no duration: the benchmark measures the failover time.</summary>
[Collection(RealTime.Name)]
[Trait("Category", "Cluster")]
public sealed class ClusterTests : IAsyncLifetime
{
    // Enough that each node runs several: every step fails a check of its own on a given node.
    private const int Checks = 24;
    private const int SigStop = 19, SigCont = 18;
    private readonly Workspace _dir = new();
    private readonly HashSet<int> _used = [];
    private SmtpServer _smtp = null!;
    private TargetWebServer _web = null!;
    private ClusterNodes _nodes = null!;

    private static string Path(int check) => $"/c{check}";

    public async Task InitializeAsync()
    {
        _smtp = await SmtpServer.StartAsync();
        _web = await TargetWebServer.StartAsync();
        _nodes = await ClusterNodes.CreateAsync(_dir);
        _nodes.WriteConfig(Config(Checks));
        await _nodes.StartAllAsync();
        await Task.WhenAll(Enumerable.Range(0, Checks).Select(i => _web.WaitForHitsAsync(Path(i), 2, Deadlines.Event * 2)));
    }

    public async Task DisposeAsync()
    {
        // What every node said, for a failure's diagnosis.
        var results = Directory.CreateDirectory(System.IO.Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;
        await File.WriteAllTextAsync(System.IO.Path.Combine(results, "cluster-nodes.log"), _nodes.AllStderr);
        _nodes.Dispose();
        _smtp.Dispose();
        await _web.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Checks <c>c0</c>… on the target's paths <c>/c0</c>…, then <paramref name="more"/> check lines.</summary>
    private string Config(int checks, params string[] more) =>
        $$"""
        picomon {
          base-tick = 1s, default-retry = 0, default-timeout = 10s
          state-dir = "./state"
          emails {
            to = ["ops@example.org"], addr-from = "Picomon <picomon@example.org>"
            smtp-host = "127.0.0.1:{{_smtp.Port}}", smtp-tls = none, smtp-retry-timeout = 1s
          }
          hosts { web { ipv4 = "127.0.0.1" } }
          checks = [
        {{string.Join("\n", Enumerable.Range(0, checks).Select(CheckLine).Concat(more))}}
          ]
        {{_nodes.ClusterBlock}}
        }
        """;

    private string CheckLine(int i) => $"    {{ type = http4, hosts = [web], port = {_web.Port}, url = \"{Path(i)}\", name = \"c{i}\" }}";

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

    private IReadOnlyList<string> Incidents() =>
        _smtp.Messages.Select(m => m.Message.Headers["X-Picomon-Incident"]).OfType<string>().Distinct().ToList();

    /// <summary>A check that <paramref name="node"/> runs now and that no earlier step made fail.</summary>
    private async Task<int> FreshCheckOnNodeAsync(int node)
    {
        for (var i = 0; i < Checks; i++)
            if (!_used.Contains(i) && await _nodes.NodeOfCheckAsync($"c{i}") == node)
            {
                _used.Add(i);
                return i;
            }
        throw new InvalidOperationException($"node {node} runs none of the {Checks} checks not used yet");
    }

    private async Task<IReadOnlyList<int>> ChecksOfNodeAsync(int node)
    {
        var checks = new List<int>();
        for (var i = 0; i < Checks; i++)
            if (await _nodes.NodeOfCheckAsync($"c{i}") == node) checks.Add(i);
        return checks;
    }

    [Fact]
    public async Task Status_reload_kills_of_any_node_a_pause_and_a_minority_on_one_cluster()
    {
        await StatusOnAnyNodeShowsEveryCheckWithTheNodeRunningItAsync();
        await ReloadOnAnyNodeAppliesToAllOrIsRefusedWhenTheFilesDifferAsync();
        await ASilenceGivenOnOneNodeHoldsACheckRunByAnotherUntilItExpiresAsync();
        await AKilledNodesChecksRunElsewhereWithOneProblemAndOneThreadedOkAsync(notifierNode: false);
        await AKilledNodesChecksRunElsewhereWithOneProblemAndOneThreadedOkAsync(notifierNode: true);
        await ANodePausedPastTheResolversDecisionSendsNothingStaleAndExitsAsync();
        await ANodeLeftInTheMinorityExitsAsync();
    }

    private async Task StatusOnAnyNodeShowsEveryCheckWithTheNodeRunningItAsync()
    {
        // Just after start the cluster still moves partitions onto the nodes that joined last, and a moving partition's
        // checks show no node: wait until every check shows the node that holds it in PostgreSQL.
        await Poll.UntilAsync(async () =>
        {
            var (exit, json, stderr) = await _nodes.RunAsync(1, "status", "--json");
            Assert.True(exit == 0, stderr);
            var checks = JsonDocument.Parse(json).RootElement.GetProperty("checks").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(0, Checks).Select(i => $"c{i}").Order(), checks.Select(c => c.GetProperty("id").GetString()).Order());
            foreach (var check in checks)
                if (check.GetProperty("node").GetString() != _nodes.Name(await _nodes.NodeOfCheckAsync(check.GetProperty("id").GetString()!)))
                    return false;
            return true;
        }, "every check's node in status as in PostgreSQL", Deadlines.Event);
        var (_, text, _) = await _nodes.RunAsync(2, "status");
        Assert.StartsWith("STATE  ID", text);
        Assert.Contains("  NODE  ", text.Split('\n')[0]);
    }

    private async Task ReloadOnAnyNodeAppliesToAllOrIsRefusedWhenTheFilesDifferAsync()
    {
        // The same new file on every node, reloaded from one: the new check runs (wherever its partition is).
        _nodes.WriteConfig(Config(Checks, CheckLine(Checks)));
        var (exit, stdout, stderr) = await _nodes.RunAsync(0, "reload");
        Assert.True(exit == 0, stderr);
        Assert.Contains("1 added", stdout);
        await _web.WaitForHitsAsync(Path(Checks), 1, Deadlines.Event);
        foreach (var node in Enumerable.Range(0, _nodes.Count))
            await _nodes.Node(node).WaitForOutputAsync((_, err) => err.Contains("1 added"), Deadlines.Event);

        // One node's file differs: nothing changes anywhere.
        _nodes.WriteConfig(2, Config(Checks, CheckLine(Checks), CheckLine(Checks + 1)));
        (exit, _, stderr) = await _nodes.RunAsync(1, "reload");
        Assert.Equal(2, exit);
        Assert.Contains("the nodes' configurations differ", stderr);
        var (_, json, _) = await _nodes.RunAsync(2, "status", "--json", $"c{Checks + 1}");
        Assert.DoesNotContain($"\"c{Checks + 1}\"", json);
        _nodes.WriteConfig(2, Config(Checks, CheckLine(Checks)));
    }

    private async Task ASilenceGivenOnOneNodeHoldsACheckRunByAnotherUntilItExpiresAsync()
    {
        var notifier = await _nodes.NotifierNodeAsync();
        var runner = (notifier + 1) % _nodes.Count;
        var silencer = (notifier + 2) % _nodes.Count;
        var failing = await FreshCheckOnNodeAsync(runner);
        var (exit, silence, stderr) = await _nodes.RunAsync(silencer, "silence", "add", $"c{failing}", "--for", "1h");
        Assert.True(exit == 0, stderr);
        // The command answered once every node applied the silence: the check's row already shows it.
        var (_, json, _) = await _nodes.RunAsync(runner, "status", "--json", $"c{failing}");
        Assert.Equal("silence", JsonDocument.Parse(json).RootElement.GetProperty("checks")[0].GetProperty("hold").GetString());
        _web.SetDown(Path(failing), true);

        // Held where it runs: in error, its Problem kept back, as every node's status says.
        await Poll.UntilAsync(async () => Regex.IsMatch((await _nodes.RunAsync(notifier, "status", $"c{failing}")).Stdout,
            $@"^held +c{failing} .*\[silence\]", RegexOptions.Multiline), $"c{failing} held", Deadlines.Event * 2);
        Assert.Contains(silence.Trim(), (await _nodes.RunAsync(runner, "silence", "list")).Stdout);
        Assert.Empty(Mails($"c{failing}#1", "Problem"));

        (exit, _, stderr) = await _nodes.RunAsync(runner, "silence", "expire", silence.Trim());
        Assert.True(exit == 0, stderr);
        await MailAsync($"c{failing}#1", "Problem");
        _web.SetDown(Path(failing), false);
        await MailAsync($"c{failing}#1", "OK");
        AssertOneProblemAndOneThreadedOk($"c{failing}#1");
    }

    private async Task AKilledNodesChecksRunElsewhereWithOneProblemAndOneThreadedOkAsync(bool notifierNode)
    {
        var notifier = await _nodes.NotifierNodeAsync();
        var victim = notifierNode ? notifier : (notifier + 1) % _nodes.Count;
        var moved = await ChecksOfNodeAsync(victim);
        var failing = await FreshCheckOnNodeAsync(victim);
        _web.SetDown(Path(failing), true);
        await MailAsync($"c{failing}#1", "Problem");

        await _nodes.KillAsync(victim);
        var before = moved.ToDictionary(i => i, i => _web.Count(Path(i)));
        _web.SetDown(Path(failing), false);

        // Every check the dead node ran is requested again, by the others.
        await Task.WhenAll(moved.Select(i => _web.WaitForHitsAsync(Path(i), before[i] + 2, Deadlines.Event * 2)));
        await MailAsync($"c{failing}#1", "OK");
        AssertOneProblemAndOneThreadedOk($"c{failing}#1");

        // systemd restarts it; it joins again before the next step.
        _nodes.Start(victim);
        await _nodes.WaitUpAsync(victim);
    }

    private async Task ANodePausedPastTheResolversDecisionSendsNothingStaleAndExitsAsync()
    {
        var paused = await _nodes.NotifierNodeAsync();
        var failing = await FreshCheckOnNodeAsync(paused);
        var mailsBefore = _smtp.Messages.Count;
        _nodes.Node(paused).Signal(SigStop);
        // The paused node still believes its check is OK: the others take it over and tell about its failure.
        _web.SetDown(Path(failing), true);
        await _nodes.NotifierMovedFromAsync(paused);
        await MailAsync($"c{failing}#1", "Problem");

        // Woken while the check still fails, the node has stale state and a stale notifier: both are fenced.
        _nodes.Node(paused).Signal(SigCont);
        Assert.Equal(1, await _nodes.WaitForExitAsync(paused));
        Assert.Contains("This node was removed from the cluster", _nodes.AllStderr);
        _web.SetDown(Path(failing), false);
        await MailAsync($"c{failing}#1", "OK");

        Assert.Equal(mailsBefore + 2, _smtp.Messages.Count);
        AssertOneProblemAndOneThreadedOk($"c{failing}#1");
        _nodes.Start(paused);
        await _nodes.WaitUpAsync(paused);
    }

    private async Task ANodeLeftInTheMinorityExitsAsync()
    {
        await _nodes.KillAsync(0, 1);
        Assert.Equal(1, await _nodes.WaitForExitAsync(2));
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
            // As systemd would restart it; back in the cluster before the next kill, so that a majority is always up.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2000)));
            _nodes.Start(victim);
            await _nodes.WaitUpAsync(victim);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2000)));
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
}
