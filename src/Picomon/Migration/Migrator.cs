using Picomon.Configuration;

namespace Picomon.Migration;

/// <summary><c>picomon migrate CONFIG.py [-o FILE]</c>: runs the original's Python configuration against the
/// stand-in, converts what it defined, validates the result with Picomon's own loader (what
/// <c>picomon -t</c> does) and writes it. Every failure is one line, exit 2.</summary>
public static class Migrator
{
    public const int Ok = 0, Failed = 2;

    /// <summary>Converts <paramref name="configPath"/> and writes the HOCON to <paramref name="outputPath"/>, or to
    /// <paramref name="stdout"/> when it is null; a failure is one line on <paramref name="stderr"/>, exit 2.</summary>
    public static async Task<int> RunAsync(string configPath, string? outputPath, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var python = PythonStandIn.FindPython3(Environment.GetEnvironmentVariable("PATH"))
                         ?? throw new MigrationException("python3 not found on PATH; it runs the original's configuration (Debian: apt-get install python3)");
            var hocon = await ConvertAsync(configPath, python, stderr);
            if (outputPath is null) await stdout.WriteAsync(hocon);
            else await WriteAsync(outputPath, configPath, hocon);
            return Ok;
        }
        catch (MigrationException e)
        {
            await stderr.WriteLineAsync($"picomon: migrate: {e.Message}");
            return Failed;
        }
    }

    /// <summary>The HOCON for the original config at <paramref name="configPath"/>, run by <paramref name="python"/>;
    /// the config's own output goes to <paramref name="configOutput"/>.</summary>
    /// <exception cref="MigrationException">The config cannot be run or converted.</exception>
    public static async Task<string> ConvertAsync(string configPath, string python, TextWriter configOutput)
    {
        if (Directory.Exists(configPath)) throw new MigrationException($"{configPath}: is a directory, not a config file");
        if (!File.Exists(configPath)) throw new MigrationException($"{configPath}: no such file");
        var work = Directory.CreateTempSubdirectory("picomon-migrate-");
        try
        {
            using var record = await PythonStandIn.RunAsync(python, configPath, work.FullName, configOutput);
            var original = OriginalConfig.Read(record, configPath);
            var (settings, defaults) = SettingsConverter.Convert(original.Settings, configPath);
            var hosts = HostConverter.Convert(original.Hosts, configPath);
            var groups = CheckGrouping.Group(CheckConverter.Convert(original.Checks, hosts, defaults, configPath));
            var output = HoconOutput.Render(configPath, settings, hosts.OfType<HostConverter.Entry>().ToList(), groups);
            Validate(output, Path.Combine(work.FullName, "converted.conf"), configPath);
            return output.Text;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Loads the result as <c>picomon -t</c> would; what Picomon refuses is reported at the config's line.</summary>
    private static void Validate(HoconOutput output, string file, string configPath)
    {
        File.WriteAllText(file, output.Text);
        try
        {
            ConfigLoader.Load(file);
        }
        catch (ConfigException e)
        {
            var error = e.Errors[0];
            var where = error.Location.File == file ? output.OriginOf(error.Location.Line) : null;
            throw MigrationException.At(where, configPath,
                $"Picomon would refuse the converted {(error.KeyPath.Length > 0 ? error.KeyPath : "configuration")}: {error.Message}");
        }
    }

    private static async Task WriteAsync(string path, string configPath, string hocon)
    {
        if (Path.GetFullPath(path) == Path.GetFullPath(configPath))
            throw new MigrationException($"{path}: would overwrite the config being converted; choose another -o FILE");
        try { await File.WriteAllTextAsync(path, hocon); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException($"{path}: cannot write: {e.Message}");
        }
    }
}
