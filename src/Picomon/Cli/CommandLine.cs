namespace Picomon.Cli;

public enum RunMode { Daemon, One, CheckConfig, Help, Version }

/// <summary>The parsed command line (README "Usage").</summary>
public sealed record CommandLine(RunMode Mode, string? ConfigPath, bool Debug)
{
    public const string Usage = """
        usage: picomon [options]
          -c, --config FILE    HOCON configuration file (-s FILE is accepted as an alias)
          -1, --one            run every check once, now, print each result, exit
          -D, --debug          log at DEBUG, whatever verb-level says
          -t, --check-config   load and validate the configuration, print a summary, exit
          -h, --help           usage
              --version        version

        Without --config, ./picomon.conf is used when it exists, else the embedded default.
        Exit codes: 0 success; 1 with --one when a check failed; 2 usage or configuration error.
        """;

    /// <summary>Parses <paramref name="args"/>; on a usage error returns null and sets <paramref name="error"/>.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var mode = RunMode.Daemon;
        string? config = null;
        var debug = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--") && arg.IndexOf('=') is > 2 and var eq)
                (arg, inline) = (arg[..eq], arg[(eq + 1)..]);
            switch (arg)
            {
                case "-c" or "-s" or "--config":
                    config = inline ?? (i + 1 < args.Count ? args[++i] : null);
                    if (config is null or "") { error = $"option {arg} needs a FILE"; return null; }
                    break;
                case "-1" or "--one": mode = Pick(mode, RunMode.One); break;
                case "-t" or "--check-config": mode = Pick(mode, RunMode.CheckConfig); break;
                case "-D" or "--debug": debug = true; break;
                case "-h" or "--help": return new CommandLine(RunMode.Help, null, false);
                case "--version": return new CommandLine(RunMode.Version, null, false);
                default:
                    error = $"unknown option '{args[i]}'";
                    return null;
            }
            if (inline is not null && arg is not ("-c" or "-s" or "--config"))
            {
                error = $"option {arg} takes no value";
                return null;
            }
        }
        return new CommandLine(mode, config, debug);
    }

    // -t wins over -1: validating never runs anything.
    private static RunMode Pick(RunMode current, RunMode requested) =>
        current == RunMode.CheckConfig ? current : requested;
}
