using System.Globalization;
using System.Text.RegularExpressions;

namespace Picomon.Benchmarks;

/// <summary>Alert latency of the published daemon: from the run that decides an error (its "entered error"
/// log line, millisecond time stamp) to aiosmtpd having written the Problem mail (the file's mtime). A
/// <c>tcp4</c> check with <c>expect = "^ok"</c> at a 1 s tick, <c>retry = 0</c>, against a listener whose
/// reply the benchmark flips; each cycle goes down (Problem) then up (OK).</summary>
public sealed partial class AlertLatency(string picomon, string dir, Results results, bool quick)
{
    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) WARNING: .*entered error")]
    private static partial Regex EnteredError();

    public async Task RunAsync()
    {
        using var smtp = await SmtpServer.StartAsync();
        using var target = new Listener(Listener.Mode.Reply);
        var emails = $"emails {{ to = [\"ops@example.org\"], smtp-host = \"127.0.0.1:{smtp.Port}\", smtp-tls = none }}";
        var config = Configs.Write(dir, "alert", TimeSpan.FromSeconds(1),
            [new(1, "tcp4", target.Port, "retry = 0, send = \"hi\\n\", expect = \"^ok\",")], extra: emails);
        var decided = new List<DateTime>();
        using var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        _ = daemon.StandardOutput.ReadToEndAsync();
        daemon.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && EnteredError().Match(line) is { Success: true } m)
                lock (decided) decided.Add(DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture));
        };
        daemon.BeginErrorReadLine();
        var latencies = new List<double>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            for (var cycle = 1; cycle <= (quick ? 2 : 5); cycle++)
            {
                target.Reply = "down\n";
                var mail = (await smtp.WaitForMessagesAsync(2 * cycle - 1, TimeSpan.FromSeconds(20)))[2 * cycle - 2];
                var received = File.GetLastWriteTime(Path.Combine(smtp.MailDirectory, mail.File));
                DateTime at;
                lock (decided) at = decided[^1];
                latencies.Add((received - at).TotalMilliseconds);
                target.Reply = "ok\n";
                await smtp.WaitForMessagesAsync(2 * cycle, TimeSpan.FromSeconds(20));
            }
        }
        finally
        {
            daemon.Kill(entireProcessTree: true);
            await daemon.WaitForExitAsync();
        }
        var median = Results.Median(latencies);
        results.Add(new Row("Alert latency: error decided -> aiosmtpd has the Problem mail", $"{median:0} ms", "<= 100 ms",
            median <= 100, $"median of {latencies.Count}: {string.Join(", ", latencies.Select(l => l.ToString("0")))} ms (log stamps are ms)"));
    }
}
