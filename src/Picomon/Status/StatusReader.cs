using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;

namespace Picomon.Status;

/// <summary>Reads the running daemon's <see cref="StatusReport"/>: the checks of the running configuration
/// (from the reloader, which owns it) and the aggregator's snapshot. Read-only; safe from any thread.</summary>
public sealed class StatusReader(IActorRef reloader, IActorRef aggregator)
{
    /// <summary>How long each actor may take to answer.</summary>
    public static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(10);

    public async Task<StatusReport> ReadAsync(CheckPatterns patterns, CancellationToken cancel)
    {
        var running = await reloader.Ask<ConfigReloader.RunningChecks>(ConfigReloader.GetChecks.Instance, AnswerTime, cancel);
        var snapshot = await aggregator.Ask<StateSnapshot>(StateAggregator.GetSnapshot.Instance, AnswerTime, cancel);
        return StatusViews.Build(snapshot, running.Checks, patterns);
    }
}
