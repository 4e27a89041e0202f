using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Picomon.Benchmarks;

/// <summary>Notifications through the published daemon to a webhook receiver on loopback (Kestrel, in this process).
/// The storm: N tcp4 checks (N/100 per host, 100 hosts) failing together on SIGUSR1, grouped by host into digests
/// (group-wait 5 s, group-interval 1 s: what the window misses goes in the host's next digest a second later): the
/// time from the first transition (its "entered error" log line) to the last digest received, and how many digests
/// (100 when each host's window caught all its checks). The latency: one check, each notification sent at once, from the run that decides the error
/// to the receiver having the Problem.</summary>
public sealed partial class NotificationBenchmarks(string picomon, string dir, Results results, bool quick)
{
    private const int Hosts = 100;

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) WARNING: .*entered error")]
    private static partial Regex EnteredError();

    public async Task RunAsync()
    {
        await StormAsync(quick ? 1_000 : 10_000);
        await LatencyAsync();
    }

    private async Task StormAsync(int checks)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var target = new Listener(Listener.Mode.Reply);
        var config = Write("storm", receiver.Port, "group-by = host, group-wait = 5s, group-interval = 1s", Enumerable.Range(0, checks).Select(i =>
            $$"""{ type = tcp4, hosts = [h{{i % Hosts}}], name = "tcp4/h{{i % Hosts}}-{{i / Hosts}}", port = {{target.Port}}, {{Options}} }"""));
        var decided = new List<DateTime>();
        using var daemon = Start(config, decided);
        var items = new ItemCount(receiver);
        try
        {
            await Until(() => target.Accepted >= checks, "every check's first run", TimeSpan.FromMinutes(2));
            // A run-now passes over a check whose run is in flight (its result stands): the signal waits for the runs'
            // ends, not only their connections, or a check still finishing its first run would never fail.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!await AllRanAsync(config))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("notification benchmark: the first runs did not all end within 2 minutes");
                await Task.Delay(500);
            }
            target.Reply = "down\n";
            Signal(daemon.Id, 10);
            await Until(() => items.Count >= checks, $"{checks} notifications in digests", TimeSpan.FromMinutes(5));
        }
        finally
        {
            await StopAsync(daemon);
        }
        var digests = receiver.Accepted;
        DateTime first;
        lock (decided) first = decided.Min();
        var seconds = (digests.Max(d => d.ReceivedAt) - first.ToUniversalTime()).TotalSeconds;
        results.Add(new Row($"Notification storm: {checks:N0} transitions -> webhook digests (group-by host, {Hosts} hosts, group-wait 5s)",
            $"{seconds:0.00} s, {digests.Count} digests", "—", null,
            $"first transition logged -> last digest received; {items.Count:N0} items, {decided.Count:N0} transitions logged"));
    }

    private async Task LatencyAsync()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var target = new Listener(Listener.Mode.Reply);
        var config = Write("latency", receiver.Port, "",
            [$$"""{ type = tcp4, hosts = [h0], port = {{target.Port}}, {{Options.Replace("every = 3600, ", "")}} }"""]);
        var decided = new List<DateTime>();
        using var daemon = Start(config, decided);
        var latencies = new List<double>();
        try
        {
            await Until(() => target.Accepted >= 1, "the first run", TimeSpan.FromSeconds(30));
            for (var cycle = 1; cycle <= (quick ? 2 : 5); cycle++)
            {
                target.Reply = "down\n";
                await Until(() => receiver.Accepted.Count >= 2 * cycle - 1, "the Problem", TimeSpan.FromSeconds(30));
                DateTime at;
                lock (decided) at = decided[^1];
                latencies.Add((receiver.Accepted[2 * cycle - 2].ReceivedAt - at.ToUniversalTime()).TotalMilliseconds);
                target.Reply = "ok\n";
                await Until(() => receiver.Accepted.Count >= 2 * cycle, "the OK", TimeSpan.FromSeconds(30));
            }
        }
        finally
        {
            await StopAsync(daemon);
        }
        results.Add(new Row("Notification latency: error decided -> webhook receiver has the Problem", $"{Results.Median(latencies):0} ms", "—",
            null, $"median of {latencies.Count}: {string.Join(", ", latencies.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))} ms (log stamps are ms)"));
    }

    // A long timeout: 10,000 connections at once to one accept loop on a busy machine must not fail the first runs
    // (the default 2 s did, and the storm then happened at start, unmeasured).
    private const string Options = """retry = 0, send = "hi\n", expect = "^ok", timeout = 60s, every = 3600, """;

    private string Write(string name, int receiverPort, string grouping, IEnumerable<string> checks)
    {
        var hosts = string.Join("\n", Enumerable.Range(0, Hosts).Select(h => $"    h{h} {{ ipv4 = \"127.0.0.1\" }}"));
        var path = Path.Combine(dir, $"notify-{name}.conf");
        File.WriteAllText(path, $$"""
            picomon {
              base-tick = 1s
              verb-level = WARNING
              state-dir = "{{dir}}/state-notify-{{name}}"
              notify {
                channels.hook { type = webhook, url = "http://127.0.0.1:{{receiverPort}}/hook" }
                default-channels = [hook]
                {{grouping}}
              }
              hosts {
            {{hosts}}
              }
              checks = [
            {{string.Join("\n", checks.Select(c => "    " + c))}}
              ]
            }
            """, Encoding.UTF8);
        return path;
    }

    private System.Diagnostics.Process Start(string config, List<DateTime> decided)
    {
        var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        _ = daemon.StandardOutput.ReadToEndAsync();
        daemon.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && EnteredError().Match(line) is { Success: true } m)
                lock (decided) decided.Add(DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeLocal));
        };
        daemon.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Notifications the receiver has: one per single message, a digest's items; each body read once.</summary>
    private sealed class ItemCount(WebhookReceiver receiver)
    {
        private int _read, _count;

        public int Count
        {
            get
            {
                var accepted = receiver.Accepted;
                for (; _read < accepted.Count; _read++)
                {
                    var json = JsonDocument.Parse(accepted[_read].Body).RootElement;
                    _count += json.GetProperty("kind").GetString() == "digest" ? json.GetProperty("items").GetArrayLength() : 1;
                }
                return _count;
            }
        }
    }

    /// <summary>Whether every check of the daemon has a run behind it: <c>picomon status</c> answers (exit 0: the daemon
    /// was asked, and no check is in error yet) and lists none "(not run yet)".</summary>
    private async Task<bool> AllRanAsync(string config)
    {
        using var status = PicomonBinary.Start(picomon, ["status", "-c", config]);
        var (output, _) = (await status.StandardOutput.ReadToEndAsync(), await status.StandardError.ReadToEndAsync());
        await status.WaitForExitAsync();
        return status.ExitCode == 0 && !output.Contains("(not run yet)", StringComparison.Ordinal);
    }

    private static async Task Until(Func<bool> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"notification benchmark: no {what} within {within}");
            await Task.Delay(50);
        }
    }

    private static async Task StopAsync(System.Diagnostics.Process daemon)
    {
        daemon.Kill(entireProcessTree: true);
        await daemon.WaitForExitAsync();
    }

    private static void Signal(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
