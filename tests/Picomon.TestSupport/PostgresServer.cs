using System.Diagnostics;
using Npgsql;

namespace Picomon.TestSupport;

/// <summary>A throw-away PostgreSQL server (Debian's <c>postgresql</c>) in a temporary directory, on a free loopback
/// port: <c>initdb</c> and <c>pg_ctl</c> run as the unprivileged <c>postgres</c> user when the tests run as root
/// (PostgreSQL refuses root), as the current user otherwise. Trust authentication on loopback, no fsync (nothing
/// here survives a power cut anyway). One server per test process (<see cref="Shared"/>), stopped and removed when
/// the process exits; each test gets a database of its own (<see cref="CreateDatabaseAsync"/>).</summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly Lazy<PostgresServer> SharedServer = new(() =>
    {
        var server = Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopDetached();
        return server;
    });

    private readonly string _root;
    private bool _disposed;

    private PostgresServer(string root, int port) => (_root, Port) = (root, port);

    /// <summary>The process's server, started on first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public int Port { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The connection string of the server's superuser on <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"picomon_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public static PostgresServer Start()
    {
        RemoveLeftovers();
        var root = Path.Combine(Path.GetTempPath(), $"picomon-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", "postgres:postgres", root);
        var bin = BinDirectory();
        var server = new PostgresServer(root, DnsmasqServer.FreePort());
        try
        {
            RunAsOwner(asRoot, Path.Combine(bin, "initdb"), "-D", server.DataDirectory, "--auth=trust", "--username=postgres",
                "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync");
            RunAsOwner(asRoot, Path.Combine(bin, "pg_ctl"), "-D", server.DataDirectory, "-l", Path.Combine(root, "server.log"), "-w",
                "-t", "120", "-o",
                $"-k {root} -p {server.Port} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off",
                "start");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server at once (as a crash would) and removes its directory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                RunAsOwner(Environment.UserName == "root", Path.Combine(BinDirectory(), "pg_ctl"), "-D", DataDirectory, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already gone: nothing to stop.
            }
        }
        DeleteTree(_root);
    }

    /// <summary>Stops the server and removes its directory from a process of their own: the test host may be ended
    /// before an exit handler that waited for them has finished.</summary>
    private void StopDetached()
    {
        if (_disposed) return;
        _disposed = true;
        var stop = Environment.UserName == "root" ? "runuser -u postgres -- " : "";
        var script = $"{stop}'{Path.Combine(BinDirectory(), "pg_ctl")}' -D '{DataDirectory}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{_root}'";
        using var _ = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script]) { UseShellExecute = false });
    }

    /// <summary>Removes the directories of earlier test runs whose server is no longer running (a test process that
    /// was killed never ran its exit handler).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "picomon-pg-*"))
        {
            var pidFile = Path.Combine(dir, "data", "postmaster.pid");
            var running = File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                                               && Directory.Exists($"/proc/{pid}");
            if (!running) DeleteTree(dir);
        }
    }

    private static void DeleteTree(string dir)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                // The server's last files may still be closing.
                Thread.Sleep(200);
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
        }
    }

    /// <summary>The newest installed server's binaries (<c>/usr/lib/postgresql/N/bin</c>).</summary>
    private static string BinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                  .Where(d => File.Exists(Path.Combine(d, "initdb")))
                  .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                  .FirstOrDefault() ?? throw new InvalidOperationException("no PostgreSQL server under /usr/lib/postgresql (install postgresql)")
            : throw new InvalidOperationException("PostgreSQL is not installed (tests/run installs the postgresql package)");

    private static void RunAsOwner(bool asRoot, string program, params string[] arguments)
    {
        if (asRoot) Run("runuser", ["-u", "postgres", "--", program, .. arguments]);
        else Run(program, arguments);
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}{output.Result}");
    }
}
