using System.CommandLine;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Control;
using Picomon.Status;

namespace Picomon.Cli;

/// <summary>The subcommands that ask the running daemon through its control socket (README "Control socket"). Each finds
/// the daemon's state-dir as the daemon does (<c>-c FILE</c>, else ./picomon.conf, else the embedded default)
/// and exits 0 on success, 2 on a usage or configuration error, 3 when the daemon cannot be asked (none runs
/// on that state-dir, or it did not answer).</summary>
public static class ControlCommands
{
    /// <summary><c>picomon status [--json] [PATTERN...]</c>: exits 1 when a check listed is in error, or none matches.</summary>
    public static Command Status(SubcommandContext context)
    {
        var json = new Option<bool>("--json") { Description = "print the JSON document of /api/v1/checks instead of the table" };
        var patterns = Subcommands.PatternArgument("check ids or globs ('http4/*'); default: every check");
        var command = new Command("status", "the state of every check, from the running daemon, problems first") { context.Config, json, patterns };
        command.SetAction((parsed, cancel) => RunAsync(context, parsed, async stateDir =>
        {
            var asked = new PatternArgs { Patterns = parsed.GetValue(patterns) ?? [] };
            var text = await ControlClient.RequestAsync(stateDir, "status", asked, ControlJson.Default.PatternArgs, cancel);
            var report = ControlClient.Read(text, StatusJson.Default.StatusReport, stateDir);
            if (report.Checks.Count == 0 && asked.Patterns.Count > 0) return await NoMatchAsync(context, asked);
            await context.Stdout.WriteAsync(parsed.GetValue(json) ? text + "\n" : StatusText.Render(report, TimeZoneInfo.Local));
            return report.AnyInError ? App.ChecksFailed : App.Ok;
        }));
        return command;
    }

    /// <summary><c>picomon run-now [PATTERN...]</c>: exits 1 when no check matches.</summary>
    public static Command RunNow(SubcommandContext context)
    {
        var patterns = Subcommands.PatternArgument("check ids or globs ('http4/*'); default: every check");
        var command = new Command("run-now", "run the matching checks now, and restart their schedule from now") { context.Config, patterns };
        command.SetAction((parsed, cancel) => RunAsync(context, parsed, async stateDir =>
        {
            var asked = new PatternArgs { Patterns = parsed.GetValue(patterns) ?? [] };
            var text = await ControlClient.RequestAsync(stateDir, "run-now", asked, ControlJson.Default.PatternArgs, cancel);
            var matched = ControlClient.Read(text, ControlJson.Default.RunNowResult, stateDir).Matched;
            if (matched == 0) return await NoMatchAsync(context, asked);
            await context.Stdout.WriteLineAsync($"picomon: running {matched} check{(matched == 1 ? "" : "s")} now");
            return App.Ok;
        }));
        return command;
    }

    /// <summary><c>picomon reload</c>: as SIGHUP; prints what changed, or every configuration error and exits 2.</summary>
    public static Command Reload(SubcommandContext context)
    {
        var command = new Command("reload", "reload the daemon's configuration file (as SIGHUP) and print the outcome") { context.Config };
        command.SetAction((parsed, cancel) => RunAsync(context, parsed, async stateDir =>
        {
            var text = await ControlClient.RequestAsync(stateDir, "reload", new NoArgs(), ControlJson.Default.NoArgs, cancel);
            var result = ControlClient.Read(text, ControlJson.Default.ReloadResult, stateDir);
            if (!result.Applied)
            {
                foreach (var error in result.Errors) await context.Stderr.WriteLineAsync(error);
                await context.Stderr.WriteLineAsync(
                    $"picomon: reload refused: {result.Source} has {result.Errors.Count} problem(s); the daemon still runs the previous configuration");
                return App.UsageOrConfigError;
            }
            foreach (var warning in result.Warnings) await context.Stderr.WriteLineAsync($"picomon: {warning}");
            await context.Stdout.WriteLineAsync(ConfigReloader.Summary(result.Source,
                new ChecksSupervisor.Reconfigured(result.Unchanged, result.Changed, result.Added, result.Removed)));
            return App.Ok;
        }));
        return command;
    }

    /// <summary>Finds the state-dir and runs <paramref name="ask"/>; a configuration error exits 2, a daemon that
    /// cannot be asked 3, each with its lines on stderr.</summary>
    internal static async Task<int> RunAsync(SubcommandContext context, ParseResult parsed, Func<string, Task<int>> ask)
    {
        string stateDir;
        try
        {
            stateDir = ConfigLoader.StateDirOf(ConfigLoader.Locate(parsed.GetValue(context.Config)));
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors) await context.Stderr.WriteLineAsync(error.ToString());
            return App.UsageOrConfigError;
        }
        try
        {
            return await ask(stateDir);
        }
        catch (ControlUnavailableException e)
        {
            await context.Stderr.WriteLineAsync($"picomon: {e.Message}");
            return App.NoDaemon;
        }
    }

    private static async Task<int> NoMatchAsync(SubcommandContext context, PatternArgs asked)
    {
        await context.Stderr.WriteLineAsync(asked.Patterns.Count == 0
            ? "picomon: the daemon has no checks"
            : $"picomon: no check matches {string.Join(", ", asked.Patterns.Select(p => $"'{p}'"))}");
        return App.ChecksFailed;
    }
}
