using Picomon.Checks;
using Picomon.Status;

namespace Picomon.Control;

/// <summary><c>status</c>: the read model of the checks matching the patterns (all without any).</summary>
public sealed class StatusHandler(StatusReader reader)
    : ControlHandler<PatternArgs, StatusReport>("status", ControlJson.Default.PatternArgs, StatusJson.Default.StatusReport)
{
    protected override Task<StatusReport> HandleAsync(PatternArgs args, CancellationToken cancel) =>
        reader.ReadAsync(Patterns(args), cancel);

    /// <summary>The request's patterns, refused when one is empty.</summary>
    public static CheckPatterns Patterns(PatternArgs args) =>
        CheckPatterns.Parse(args.Patterns, out var error) ?? throw new ControlRequestException(error!);
}
