using System.Diagnostics;
using System.Net;

namespace Picomon.Benchmarks;

/// <summary>The HTTP front end under a large configuration: the published daemon with N TCP checks every 60 s on
/// loopback, once with <c>http.listen</c> and once without. Figures, once every check has run: <c>/metrics</c>
/// scrape time (median and max of back-to-back scrapes) and the daemon's CPU per scrape (beyond what its probing
/// takes), the page and the API, and the RSS <c>http.listen</c> adds (with minus without, before and after the
/// scrapes: the read model of each scrape is garbage that waits for a background gen2 collection).</summary>
public sealed class HttpBenchmarks(string picomon, string dir, Results results, bool quick)
{
    private TimeSpan Interval => TimeSpan.FromSeconds(quick ? 10 : 60);

    private int Count => quick ? 10_000 : 100_000;
    private int Scrapes => quick ? 3 : 10;

    public async Task RunAsync(Listener tcp)
    {
        var without = await WithoutHttpAsync(tcp);
        var port = DnsmasqServer.FreePort();
        using var daemon = await StartAsync(tcp, $"http.listen = \"127.0.0.1:{port}\"", "http");
        try
        {
            var before = ProcStat.RssMb(daemon.Id);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
            // The daemon keeps probing meanwhile: its CPU rate without scrapes is taken off the scrapes' CPU.
            var (probing, _) = await ProcStat.MeasureAsync(daemon.Id, TimeSpan.FromSeconds(10));
            var cpu0 = ProcStat.CpuTime(daemon.Id);
            var wall = Stopwatch.StartNew();
            var (metrics, bytes) = await TimeAsync(client, "/metrics", Scrapes);
            var cpuPerScrape = ((ProcStat.CpuTime(daemon.Id) - cpu0).TotalMilliseconds - probing / 100 * wall.Elapsed.TotalMilliseconds) / Scrapes;
            var afterScrapes = ProcStat.RssMb(daemon.Id);
            var (page, pageBytes) = await TimeAsync(client, "/", quick ? 2 : 5);
            var (api, apiBytes) = await TimeAsync(client, "/api/v1/checks", quick ? 2 : 5);
            var name = $"HTTP, {Count:N0} checks";
            results.Add(new Row($"{name}: /metrics scrape", $"median {Results.Median(metrics):0} ms, max {metrics.Max():0} ms",
                "", null, $"{Scrapes} scrapes of {bytes / 1048576.0:0.0} MB; daemon CPU {cpuPerScrape:0} ms a scrape beyond its probing ({probing:0}% of a core)"));
            results.Add(new Row($"{name}: page / API", $"{Results.Median(page):0} ms / {Results.Median(api):0} ms", "", null,
                $"medians; page {pageBytes / 1048576.0:0.00} MB (OK rows capped), API {apiBytes / 1048576.0:0.0} MB"));
            results.Add(new Row($"{name}: RSS added by http.listen", $"{before - without:0} MB; {afterScrapes - without:0} MB after the scrapes",
                "", null, $"RSS {without:0} MB without http, {before:0} / {afterScrapes:0} MB with it"));
        }
        finally
        {
            await StopAsync(daemon);
        }
    }

    private async Task<double> WithoutHttpAsync(Listener tcp)
    {
        using var daemon = await StartAsync(tcp, "", "nohttp");
        try { return ProcStat.RssMb(daemon.Id); }
        finally { await StopAsync(daemon); }
    }

    /// <summary>The daemon on N checks, returned once every check has had its first run (one interval after start).</summary>
    private async Task<Process> StartAsync(Listener tcp, string http, string name)
    {
        var config = Configs.Write(dir, $"http-{name}-{Count}", Interval, [new(Count, "tcp4", tcp.Port)], extra: $"verb-level = INFO\n{http}");
        var daemon = PicomonBinary.Start(picomon, ["-c", config]);
        var started = new TaskCompletionSource();
        daemon.ErrorDataReceived += (_, e) => { if (e.Data?.Contains($"Started {Count} checks") == true) started.TrySetResult(); };
        daemon.BeginErrorReadLine();
        _ = daemon.StandardOutput.ReadToEndAsync();
        await started.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(Interval + TimeSpan.FromSeconds(5));
        return daemon;
    }

    private static async Task StopAsync(Process daemon)
    {
        daemon.Kill(entireProcessTree: true);
        await daemon.WaitForExitAsync();
    }

    /// <summary>GETs <paramref name="path"/> <paramref name="times"/> times, one after another: each time in ms, and the
    /// size of the last answer.</summary>
    internal static async Task<(List<double> Ms, long Bytes)> TimeAsync(HttpClient client, string path, int times)
    {
        var ms = new List<double>();
        long bytes = 0;
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
            bytes = (await response.Content.ReadAsByteArrayAsync()).LongLength;
            ms.Add(watch.Elapsed.TotalMilliseconds);
        }
        return (ms, bytes);
    }
}
