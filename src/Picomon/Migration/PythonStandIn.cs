using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Picomon.Migration;

/// <summary>Runs an original config with python3 against the stand-in of the original's <c>picomon</c>
/// package (python/ beside this file) and returns what the config defined, as the runner's JSON.
/// The stand-in is compiled into the binary and written to a private temporary folder for each run,
/// so the published binary is all there is to install and the Python side always matches this one.</summary>
internal static class PythonStandIn
{
    private const string ResourcePrefix = "Picomon.Migration/";
    private const string Runner = "picomon_migrate.py";

    /// <summary>How long a configuration may run: the original's configs define and return, so a config still
    /// running after this is looping (or waiting on something) and would otherwise hang <c>migrate</c>.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>The first executable <c>python3</c> in <paramref name="path"/> (a PATH value), as a shell finds it.</summary>
    public static string? FindPython3(string? path)
    {
        foreach (var dir in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "python3");
            if (File.Exists(candidate) && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate;
        }
        return null;
    }

    /// <summary>Runs <paramref name="configPath"/>; the config's own output goes to <paramref name="configOutput"/>.</summary>
    /// <exception cref="MigrationException">python3 could not run, did not finish within <paramref name="timeLimit"/>
    /// (<see cref="DefaultTimeLimit"/> when null), or did not write its record.</exception>
    public static async Task<JsonDocument> RunAsync(string python, string configPath, string workDir, TextWriter configOutput,
        TimeSpan? timeLimit = null)
    {
        var limit = timeLimit ?? DefaultTimeLimit;
        WriteStandIn(workDir);
        var record = Path.Combine(workDir, "record.json");
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-B", Path.Combine(workDir, Runner), configPath, record }) info.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new MigrationException($"cannot run {python}: {e.Message}"); }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using (var timer = new CancellationTokenSource(limit))
            {
                try
                {
                    await process.WaitForExitAsync(timer.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    throw new MigrationException(
                        $"{configPath}: still running after {limit.TotalSeconds:0} s (a loop that never ends?); stopped");
                }
            }
            var output = await stdout + await stderr;
            await configOutput.WriteAsync(output);
            if (!File.Exists(record))
            {
                var last = output.TrimEnd().Split('\n')[^1];
                throw new MigrationException($"{python} failed (exit {process.ExitCode}){(last.Length > 0 ? ": " + last : "")}");
            }
        }
        return JsonDocument.Parse(await File.ReadAllBytesAsync(record));
    }

    private static void WriteStandIn(string workDir)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var target = Path.Combine(workDir, name[ResourcePrefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var resource = assembly.GetManifestResourceStream(name)!;
            using var file = File.Create(target);
            resource.CopyTo(file);
        }
    }
}
