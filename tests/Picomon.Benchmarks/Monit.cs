using System.Diagnostics;
using System.Text;

namespace Picomon.Benchmarks;

/// <summary>Debian's <c>monit</c> as the peer of the CPU-per-probe figure: <c>set daemon 1</c> and one
/// <c>check host</c> per URL (<c>if failed port … protocol http request "/m{i}"</c>), run in the foreground
/// (<c>monit -I -c FILE</c>) on a control file of its own. Installed with apt-get when missing, as
/// <c>.ci/run</c> installs nginx.</summary>
public sealed class Monit : IDisposable
{
    private readonly Process _process;

    private Monit(Process process) => _process = process;

    public int Pid => _process.Id;

    public static async Task<Monit> StartAsync(string dir, int port, int count, TimeSpan cycle, string urlPrefix)
    {
        var binary = await LocateAsync();
        var rc = Path.Combine(dir, "monitrc");
        var text = new StringBuilder($"""
            set daemon {cycle.TotalSeconds:0}
            set logfile {dir}/monit.log
            set idfile {dir}/monit.id
            set statefile {dir}/monit.state
            set pidfile {dir}/monit.pid

            """);
        for (var i = 0; i < count; i++)
            text.Append($"check host m{i} with address 127.0.0.1\n  if failed port {port} protocol http request \"{urlPrefix}{i}\" then alert\n");
        File.WriteAllText(rc, text.ToString());
        if (!OperatingSystem.IsWindows()) // monit refuses a control file others may read
            File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var process = PicomonBinary.Start(binary, ["-I", "-c", rc]);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        if (process.HasExited) throw new InvalidOperationException($"monit exited {process.ExitCode}; see {dir}/monit.log");
        return new Monit(process);
    }

    private static async Task<string> LocateAsync()
    {
        const string path = "/usr/bin/monit";
        if (File.Exists(path)) return path;
        Console.Error.WriteLine("installing monit (apt-get) …");
        var sudo = Environment.UserName == "root" ? "" : "sudo ";
        var (code, _, error) = await PicomonBinary.RunAsync("/bin/sh", ["-c",
            $"{sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {sudo}apt-get install -y -qq --no-install-recommends monit"],
            TimeSpan.FromMinutes(5));
        return code == 0 && File.Exists(path) ? path : throw new InvalidOperationException($"cannot install monit: {error}");
    }

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
    }
}
