using Akka.Actor;
using Picomon.Actors;

namespace Picomon.Control;

/// <summary><c>reload</c>: as SIGHUP, answered with what the reload did or every configuration error.</summary>
public sealed class ReloadHandler(IActorRef reloader)
    : ControlHandler<NoArgs, ReloadResult>("reload", ControlJson.Default.NoArgs, ControlJson.Default.ReloadResult)
{
    /// <summary>Reading a large file and restarting changed checks takes a moment; nothing takes this long.</summary>
    private static readonly TimeSpan AnswerTime = TimeSpan.FromSeconds(30);

    protected override async Task<ReloadResult> HandleAsync(NoArgs args, CancellationToken cancel)
    {
        var outcome = await reloader.Ask<ConfigReloader.ReloadOutcome>(ConfigReloader.ReloadRequested.Control, AnswerTime, cancel);
        var counts = outcome.Applied ?? new ChecksSupervisor.Reconfigured(0, 0, 0, 0);
        return new ReloadResult(outcome.Source, outcome.Applied is not null, counts.Unchanged, counts.Changed,
            counts.Added, counts.Removed, outcome.Warnings, outcome.Errors);
    }
}
