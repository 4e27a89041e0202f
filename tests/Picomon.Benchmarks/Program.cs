using System.Globalization;
using Picomon.Benchmarks;

// Picomon's performance suite: `dotnet run -c Release --project tests/Picomon.Benchmarks [-- --quick]`.
// It starts its own targets on loopback, measures, and prints one table. It reports; it does not gate:
// a missed target still exits 0, a broken suite (a target that cannot start, a crash) exits 1.
if (args is ["daemon-child", var config, var warmup, var measure])
    return await DaemonChild.RunAsync(config, TimeSpan.FromSeconds(double.Parse(warmup, CultureInfo.InvariantCulture)),
        TimeSpan.FromSeconds(double.Parse(measure, CultureInfo.InvariantCulture)));
if (args is ["socket-floor", var mode, var port])
    return await SocketFloor.ChildAsync(mode, int.Parse(port, CultureInfo.InvariantCulture));
if (args is ["idle-part", var level, var partDir])
    return await IdleParts.ChildAsync(level, partDir);

// --only SECTION runs one of: startup, one, alert, notify, hostile, idle, idle-parts, cpu, daemon, daemon-1k, daemon-10k, daemon-10k-tcp,
// daemon-100k, http, cluster, cluster-failover (to re-measure a figure alone; daemon-10k is the 10,000 HTTP checks row of daemon,
// daemon-10k-tcp its 10,000 TCP checks row, daemon-100k its two 100,000-check rows; cpu is the CPU per probe
// beside Monit and the sockets' floor under it; http is the HTTP front end at 100,000 checks; cluster is the failover time and 100,000 checks over
// three nodes, with a throw-away PostgreSQL; cluster-failover is its failover row alone).
var quick = args.Contains("--quick");
var onlyAt = Array.IndexOf(args, "--only");
var only = onlyAt >= 0 && onlyAt + 1 < args.Length ? args[onlyAt + 1] : null;
string[] sections = ["startup", "one", "alert", "notify", "hostile", "idle", "idle-parts", "cpu", "daemon", "daemon-1k", "daemon-10k", "daemon-10k-tcp", "daemon-100k", "http", "cluster", "cluster-failover"];
if (args.Length != (quick ? 1 : 0) + (only is null ? 0 : 2) || (only is not null && !sections.Contains(only)))
{
    Console.Error.WriteLine($"usage: Picomon.Benchmarks [--quick] [--only {string.Join('|', sections)}]");
    return 2;
}
bool Runs(string section) => only is null || only == section;
var dir = Directory.CreateTempSubdirectory("picomon-bench-").FullName;
var results = new Results();
try
{
    var picomon = await PicomonBinary.LocateAsync();
    Console.Error.WriteLine($"benchmarking {picomon} ({(quick ? "quick" : "full")} suite); {Machine.Describe()}");
    using var nginx = await Nginx.StartAsync();
    using var hanging = new Listener(Listener.Mode.Hang);
    using var tcp = new Listener(Listener.Mode.Close);
    var binary = new BinaryBenchmarks(picomon, dir, results, quick);

    if (Runs("startup")) await binary.StartupAsync(tcp);
    foreach (var count in !Runs("one") ? [] : quick ? [100, 1_000] : new[] { 100, 1_000, 10_000 })
    {
        await binary.OneAsync(nginx, hanging, count, withHanging: false);
        await binary.OneAsync(nginx, hanging, count, withHanging: true);
    }
    if (Runs("alert")) await new AlertLatency(picomon, dir, results, quick).RunAsync();
    if (Runs("notify")) await new NotificationBenchmarks(picomon, dir, results, quick).RunAsync();
    if (Runs("hostile")) await new HostileTargets(picomon, dir, results, quick).RunAsync();
    if (Runs("idle"))
    {
        await binary.IdleAsync(tcp, akkaDefaultScheduler: false);
        await binary.IdleAsync(tcp, akkaDefaultScheduler: true);
    }
    if (Runs("idle-parts")) await new IdleParts(picomon, dir, results, quick).RunAsync(tcp);

    if (Runs("http")) await new HttpBenchmarks(picomon, dir, results, quick).RunAsync(tcp);
    if (Runs("cluster")) await new ClusterBenchmarks(picomon, dir, results, quick).RunAsync(tcp);
    else if (only == "cluster-failover") await new ClusterBenchmarks(picomon, dir, results, quick).FailoverAsync();
    // A second nginx that logs every request, for the figures taken at the target; the first one stays
    // without a log, as the figures above were always measured.
    var daemonRows = Runs("daemon") || only is "daemon-1k" or "daemon-10k" or "daemon-10k-tcp" or "daemon-100k";
    if (Runs("cpu") || daemonRows)
    {
        using var logged = await Nginx.StartAsync(accessLog: true);
        if (Runs("cpu"))
        {
            await new ProbeCost(picomon, dir, results, quick).RunAsync(logged);
            await new SocketFloor(dir, results, quick).RunAsync(logged);
        }
        if (daemonRows)
            await DaemonFiguresAsync(new DaemonBenchmarks(dir, results, logged), logged.Port, tcp.Port, quick, only);
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"benchmark suite broken: {e}");
    results.Print(Console.Out, Machine.Describe());
    return 1;
}
finally
{
    try { Directory.Delete(dir, recursive: true); } catch (IOException) { /* best effort */ }
}
results.Print(Console.Out, Machine.Describe());
return 0;

// only: "daemon-1k" runs the 1,000 checks rows, "daemon-10k" the 10,000 HTTP checks row alone, "daemon-10k-tcp" the 10,000 TCP
// checks row alone, "daemon-100k" the 100,000 rows;
// none or "daemon", every row.
static async Task DaemonFiguresAsync(DaemonBenchmarks daemon, int httpPort, int tcpPort, bool quick, string? only)
{
    var two = TimeSpan.FromSeconds(2);
    if (quick)
    {
        await daemon.RunAsync(1_000, "http4", httpPort, two, TimeSpan.FromSeconds(6), 1, null, null, atTargetP99: TimeSpan.FromMilliseconds(50));
        await daemon.RunAsync(1_000, "tcp4", tcpPort, two, TimeSpan.FromSeconds(6), 1, null, null);
        return;
    }
    foreach (var (type, port) in new[] { ("http4", httpPort), ("tcp4", tcpPort) })
    {
        var tenThousandOnly = type == "http4" ? "daemon-10k" : "daemon-10k-tcp";
        if (only is null or "daemon" or "daemon-1k") await daemon.RunAsync(1_000, type, port, two, TimeSpan.FromSeconds(20), 3, null, null);
        if (only is null or "daemon" || only == tenThousandOnly)
            await daemon.RunAsync(10_000, type, port, two, TimeSpan.FromSeconds(30), 3,
                type == "http4" ? TimeSpan.FromMilliseconds(50) : null, null, atTargetP99: TimeSpan.FromMilliseconds(50));
        if (only is null or "daemon" or "daemon-100k") await daemon.RunAsync(100_000, type, port, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), 3,
            TimeSpan.FromMilliseconds(100), 500, atTargetP99: TimeSpan.FromMilliseconds(50));
    }
}
