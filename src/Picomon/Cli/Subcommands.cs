using System.CommandLine;
using System.CommandLine.Parsing;
using Picomon.Checks;
using Picomon.Migration;

namespace Picomon.Cli;

/// <summary>The subcommands (README "Subcommands": <c>picomon status</c>, …), parsed by System.CommandLine. The root
/// options (<c>picomon [-c FILE] [-1] [-t] [-D] [--version] [-h]</c>) stay with <see cref="CommandLine"/>: their
/// usage errors are part of the contract, word for word, and System.CommandLine words its own (and does not
/// let them be replaced). A command line is a subcommand's when its <see cref="FirstWord"/> is a subcommand's
/// name; so <c>-c FILE</c> may come before or after the name. Any other word is left to the root parser,
/// whose "unknown option" it has always been.</summary>
public static class Subcommands
{
    /// <summary>Every subcommand: its name, its line in <c>picomon --help</c>, how to build it. Adding one is one line here.</summary>
    private static readonly (string Name, string Synopsis, Func<SubcommandContext, Command> Create)[] All =
    [
        ("status", "status [--json] [PATTERN...]   state of every check, problems first", ControlCommands.Status),
        ("run-now", "run-now [PATTERN...]           run the matching checks now", ControlCommands.RunNow),
        ("reload", "reload                         reload the configuration, as SIGHUP", ControlCommands.Reload),
        ("silence", "silence add PATTERN... --for DURATION [--comment TEXT]   hold their notifications; prints the id\n"
                    + "  picomon silence list | silence expire ID   the active silences (id, end, patterns, comment); end one",
            HoldCommands.Silence),
        ("ack", "ack CHECK [--comment TEXT]     acknowledge the check's open incident: no more reminders", HoldCommands.Ack),
        ("migrate", "migrate CONFIG.py [-o FILE]    convert the original Picomon's Python config to HOCON", MigrateCommand.Create),
    ];

    /// <summary>What <c>picomon --help</c> says of the subcommands, after <see cref="CommandLine.Usage"/>.</summary>
    public static string Usage =>
        "\n\nSubcommands (those that talk to the daemon find it by its configuration's state-dir: -c FILE):\n"
        + string.Concat(All.Select(s => $"  picomon {s.Synopsis}\n"))
        + "PATTERN: a check id, or a glob on ids ('http4/*'). 'picomon SUBCOMMAND --help' tells more.\n"
        + "Exit codes: 0 success; 1 a check status lists is in error, or no check matches; 2 usage or\n"
        + "configuration error; 3 no daemon is running on that state-dir.";

    /// <summary>The first word of <paramref name="args"/> that is not an option nor the FILE of
    /// <c>-c</c>/<c>-s</c>/<c>--config</c>: a subcommand's name, if anything. The daemon, <c>--one</c> and
    /// <c>-t</c> have none, so they never load System.CommandLine.</summary>
    public static string? FirstWord(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-c" or "-s" or "--config") i++;
            else if (!args[i].StartsWith('-')) return args[i];
        }
        return null;
    }

    /// <summary>Parses and runs the subcommand <paramref name="word"/> names; returns its exit code (2 for a
    /// usage error), or null when <paramref name="word"/> is no subcommand's name.</summary>
    public static async Task<int?> RunAsync(string word, string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (!All.Any(s => s.Name == word)) return null;
        var config = new Option<string?>("--config", "-c", "-s")
        {
            Description = "the daemon's configuration file, to find its state-dir (default: ./picomon.conf, else the embedded one)",
            HelpName = "FILE",
        };
        // On the root (-c before the subcommand's name) and on each subcommand that talks to the daemon (after it);
        // not recursive, so that migrate, which reads no daemon configuration, neither takes nor shows it.
        var root = new RootCommand("picomon: the subcommands") { config };
        var context = new SubcommandContext(config, stdout, stderr);
        foreach (var (_, _, create) in All) root.Add(create(context));
        // No @response-file expansion: a PATTERN may begin with '@'.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync($"picomon: {error.Message}");
            await stderr.WriteLineAsync($"Try 'picomon {CommandPath(parsed.CommandResult)} --help'.");
            return App.UsageOrConfigError;
        }
        // Without the default exception handler: it would turn a bug into exit 1, which means "a check is in error".
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The names from the subcommand down to <paramref name="command"/> (<c>silence add</c>).</summary>
    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult { Parent: not null } parent ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;

    /// <summary>The PATTERN... argument: check ids or globs (<see cref="CheckPatterns"/>). A word beginning with
    /// '-' is taken for a mistyped option, not a pattern (write <c>\-</c> for an id that begins so).</summary>
    public static Argument<string[]> PatternArgument(string description)
    {
        var patterns = new Argument<string[]>("PATTERN") { Arity = ArgumentArity.ZeroOrMore, Description = description };
        patterns.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
                result.AddError($"unknown option '{token.Value}'");
            if (CheckPatterns.Parse(result.Tokens.Select(t => t.Value).ToList(), out var error) is null)
                result.AddError(error!);
        });
        return patterns;
    }
}

/// <summary>What every subcommand shares: the <c>-c</c> option and where to write.</summary>
public sealed record SubcommandContext(Option<string?> Config, TextWriter Stdout, TextWriter Stderr);
