using System.CommandLine;
using Picomon.Cli;

namespace Picomon.Migration;

/// <summary><c>picomon migrate CONFIG.py [-o FILE]</c> (README "Migrating from the original Picomon") as a subcommand of <see cref="Subcommands"/>.</summary>
public static class MigrateCommand
{
    public static Command Create(SubcommandContext context)
    {
        var config = new Argument<string>("CONFIG.py") { Description = "the original Picomon's Python configuration" };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "write the HOCON configuration to FILE (default: stdout)",
            HelpName = "FILE",
        };
        var command = new Command("migrate",
            "run the original Picomon's Python configuration with python3 (the first on PATH) against a stand-in of its "
            + "picomon package, and write the same settings, hosts and checks as HOCON")
        {
            config, output,
        };
        command.SetAction(async (parsed, _) =>
        {
            // -c is the daemon's configuration, shared by the subcommands that talk to it; migrate reads CONFIG.py.
            if (parsed.GetResult(context.Config) is { Implicit: false })
            {
                await context.Stderr.WriteLineAsync("picomon: migrate: takes no -c; the configuration it reads is CONFIG.py");
                return App.UsageOrConfigError;
            }
            return await Migrator.RunAsync(parsed.GetValue(config)!, parsed.GetValue(output), context.Stdout, context.Stderr);
        });
        return command;
    }
}
