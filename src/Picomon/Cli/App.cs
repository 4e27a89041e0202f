using System.Reflection;
using Picomon.Configuration;
using Picomon.Migration;

namespace Picomon.Cli;

/// <summary>The entry point's logic: a subcommand (<see cref="Subcommands"/>), or parse the command line, load
/// the configuration, run one of the daemon, <c>--one</c> or <c>-t</c>. Returns the process exit code (README "Usage").</summary>
public static class App
{
    /// <summary><see cref="NoDaemon"/>: a subcommand found no daemon to ask, or got no answer.</summary>
    public const int Ok = 0, ChecksFailed = 1, UsageOrConfigError = 2, NoDaemon = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (Subcommands.FirstWord(args) is { } word && await Subcommands.RunAsync(word, args, stdout, stderr) is { } exit)
            return exit;
        var command = CommandLine.Parse(args, out var usageError);
        if (command is null)
        {
            await stderr.WriteLineAsync($"picomon: {usageError}");
            await stderr.WriteLineAsync("Try 'picomon --help'.");
            return UsageOrConfigError;
        }
        switch (command.Mode)
        {
            case RunMode.Help:
                await stdout.WriteLineAsync(CommandLine.Usage + Subcommands.Usage);
                return Ok;
            case RunMode.Version:
                await stdout.WriteLineAsync($"picomon {Version}");
                return Ok;
        }
        PicomonSettings settings;
        try
        {
            settings = ConfigLoader.Load(ConfigLoader.Locate(command.ConfigPath));
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors) await stderr.WriteLineAsync(error.ToString());
            return UsageOrConfigError;
        }
        switch (command.Mode)
        {
            case RunMode.CheckConfig:
                await stdout.WriteAsync(ConfigSummary.Render(settings));
                return Ok;
            case RunMode.One:
                using (var stopping = new CancellationTokenSource())
                {
                    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
                    return await OneRunner.RunAsync(settings, stdout, stopping.Token);
                }
            default:
                return await Daemon.RunAsync(settings, command.Debug);
        }
    }

    public static string Version =>
        typeof(App).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";
}
