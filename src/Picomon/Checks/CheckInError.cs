namespace Picomon.Checks;

/// <summary>A check in error, as the state dump and the report list it.</summary>
/// <param name="TargetName">The human-readable target name.</param>
/// <param name="Since">When the check entered error (printed with its offset).</param>
/// <param name="Message">The last failure message; each of its lines is printed after a tab.</param>
/// <param name="Hold">What holds its Problem (<c>silence</c>), or empty when it is not held.</param>
public sealed record CheckInError(string Id, string TargetName, DateTimeOffset Since, string Message, string Hold = "");
