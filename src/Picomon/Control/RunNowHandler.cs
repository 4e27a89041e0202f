using Akka.Actor;
using Picomon.Actors;

namespace Picomon.Control;

/// <summary><c>run-now</c>: the checks matching the patterns (all without any) run now; the result says how many.</summary>
public sealed class RunNowHandler(IActorRef checks)
    : ControlHandler<PatternArgs, RunNowResult>("run-now", ControlJson.Default.PatternArgs, ControlJson.Default.RunNowResult)
{
    protected override async Task<RunNowResult> HandleAsync(PatternArgs args, CancellationToken cancel)
    {
        var started = await checks.Ask<ChecksSupervisor.RunMatchingStarted>(
            new ChecksSupervisor.RunMatchingNow(StatusHandler.Patterns(args)), TimeSpan.FromSeconds(10), cancel);
        return new RunNowResult(started.Matched);
    }
}
