namespace Picomon.Migration;

/// <summary>Why a configuration cannot be converted, as one line: <c>FILE[:LINE]: what</c>. Printed
/// after <c>picomon: migrate: </c>, never with a stack trace.</summary>
public sealed class MigrationException(string message) : Exception(message)
{
    /// <summary>An error at <paramref name="where"/> (<c>file:line</c> in the config), or in <paramref name="file"/> when unknown.</summary>
    public static MigrationException At(string? where, string file, string message) => new($"{where ?? file}: {message}");
}
