namespace Picomon.Migration;

/// <summary>The arguments of <c>picomon migrate CONFIG.py [-o FILE]</c> (SPEC §1, §12).</summary>
public sealed record MigrateCommand(string? ConfigPath, string? OutputPath, bool Help)
{
    public const string Usage = """
        usage: picomon migrate CONFIG.py [-o FILE]
          -o, --output FILE    write the HOCON configuration to FILE (default: stdout)
          -h, --help           usage

        Runs the original Picomon's Python configuration with python3 (the first on PATH) against
        a stand-in of its picomon package, and writes the same settings, hosts and checks as HOCON.
        Exit codes: 0 converted; 2 usage error, or a configuration that cannot be converted.
        """;

    /// <summary>Parses the arguments after <c>migrate</c>; on a usage error returns null and sets <paramref name="error"/>.</summary>
    public static MigrateCommand? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? config = null, output = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return new MigrateCommand(null, null, Help: true);
                case "-o" or "--output":
                    output = i + 1 < args.Count ? args[++i] : null;
                    if (output is null or "") { error = $"option {arg} needs a FILE"; return null; }
                    break;
                case var _ when arg.StartsWith("--output="):
                    output = arg["--output=".Length..];
                    if (output.Length == 0) { error = "option --output needs a FILE"; return null; }
                    break;
                case var _ when arg.StartsWith('-'):
                    error = $"unknown option '{arg}'";
                    return null;
                case var _ when config is not null:
                    error = $"one CONFIG.py only, got '{config}' and '{arg}'";
                    return null;
                default:
                    config = arg;
                    break;
            }
        }
        if (config is null)
        {
            error = "needs the original's config file: picomon migrate CONFIG.py [-o FILE]";
            return null;
        }
        return new MigrateCommand(config, output, Help: false);
    }
}
