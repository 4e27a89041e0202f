using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>One problem found in a configuration file, printed as one line:
/// <c>picomon: config error: FILE[:LINE]: KEY.PATH: what is wrong</c>.</summary>
public sealed record ConfigError(SourceLocation Location, string KeyPath, string Message)
{
    public override string ToString() =>
        KeyPath.Length == 0
            ? $"picomon: config error: {Location}: {Message}"
            : $"picomon: config error: {Location}: {KeyPath}: {Message}";
}

/// <summary>Thrown when a configuration cannot be used; carries every problem found, not just the first.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
