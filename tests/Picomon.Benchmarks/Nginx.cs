using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Picomon.Benchmarks;

/// <summary>Debian's nginx on 127.0.0.1:PORT in its own process, with a temporary config: one worker (the
/// other core is Picomon's), a big backlog; every path answers <c>200 ok</c>. Fast enough that the HTTP target
/// is never what a figure measures. Without an access log, or (<c>accessLog: true</c>) with one line per request:
/// nginx's clock when it answered (<c>$msec</c>, Unix seconds to the millisecond) and the path, read back by
/// <see cref="Requests"/> — what the target saw, to set beside what Picomon measures inside.</summary>
public sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _root;

    private Nginx(Process process, string root, int port) => (_process, _root, Port) = (process, root, port);

    public int Port { get; }

    private string AccessLog => Path.Combine(_root, "access.log");

    public static async Task<Nginx> StartAsync(bool accessLog = false)
    {
        var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx not found: apt-get install -y nginx-light");
        var root = Directory.CreateTempSubdirectory("picomon-bench-nginx-").FullName;
        var port = DnsmasqServer.FreePort();
        File.WriteAllText(Path.Combine(root, "nginx.conf"), Config(root, port, accessLog));
        var info = new ProcessStartInfo(binary) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", root, "-c", Path.Combine(root, "nginx.conf") }) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var nginx = new Nginx(process, root, port);
        await Net.WaitForListenerAsync(port, process);
        return nginx;
    }

    /// <summary>The requests nginx answered between two Unix times (seconds) whose path starts with
    /// <paramref name="prefix"/>: (time, path). The log is written in 256 KiB buffers flushed every second,
    /// so ask at least a second after <paramref name="to"/>.</summary>
    public List<(double At, string Path)> Requests(double from, double to, string prefix)
    {
        var found = new List<(double, string)>();
        using var reader = new StreamReader(new FileStream(AccessLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ');
            if (space < 0 || !line.AsSpan(space + 1).StartsWith(prefix, StringComparison.Ordinal)) continue;
            var at = double.Parse(line.AsSpan(0, space), CultureInfo.InvariantCulture);
            if (at >= from && at <= to) found.Add((at, line[(space + 1)..]));
        }
        return found;
    }

    private static string Config(string root, int port, bool accessLog) => $$"""
        worker_processes 1;
        daemon off;
        user root;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log crit;
        worker_rlimit_nofile 65536;
        events { worker_connections 32768; multi_accept on; }
        http {
          log_format picomon '$msec $request_uri';
          access_log {{(accessLog ? $"{root}/access.log picomon buffer=256k flush=1s" : "off")}};
          client_body_temp_path {{root}}/body;
          proxy_temp_path {{root}}/proxy;
          fastcgi_temp_path {{root}}/fastcgi;
          uwsgi_temp_path {{root}}/uwsgi;
          scgi_temp_path {{root}}/scgi;
          server {
            listen 127.0.0.1:{{port}} backlog=16384;
            location / { return 200 "ok\n"; }
          }
        }
        """;

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* best effort */ }
    }
}

/// <summary>Loopback helpers: waiting for a listener (free ports: <see cref="DnsmasqServer.FreePort"/>).</summary>
public static class Net
{
    public static async Task WaitForListenerAsync(int port, Process owner)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (owner.HasExited)
                throw new InvalidOperationException($"{owner.StartInfo.FileName} exited: {await owner.StandardError.ReadToEndAsync()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port}");
    }
}
