using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;

namespace Picomon.Control;

/// <summary><c>silence-add</c>: a new silence of the patterns for the given time; the result is the silence.</summary>
public sealed class SilenceAddHandler(IActorRef aggregator)
    : ControlHandler<SilenceAddArgs, SilenceView>("silence-add", ControlJson.Default.SilenceAddArgs, ControlJson.Default.SilenceView)
{
    /// <summary>The longest silence: ten years (a silence is not a way to remove a check).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3653);

    protected override async Task<SilenceView> HandleAsync(SilenceAddArgs args, CancellationToken cancel)
    {
        if (args.Patterns.Count == 0) throw new ControlRequestException("a silence needs at least one PATTERN");
        StatusHandler.Patterns(new PatternArgs { Patterns = args.Patterns });
        if (!(args.Seconds > 0) || args.Seconds > Longest.TotalSeconds)
            throw new ControlRequestException($"a silence lasts more than 0 s and at most {Longest.TotalDays:0} days");
        var silence = await aggregator.Ask<Silence>(
            new StateAggregator.AddSilence(args.Patterns, TimeSpan.FromSeconds(args.Seconds), args.Comment), TimeSpan.FromSeconds(10), cancel);
        return View(silence);
    }

    public static SilenceView View(Silence s) => new(s.Id, s.Patterns, s.Created, s.Ends, s.Comment);
}

/// <summary><c>silence-list</c>: the active silences.</summary>
public sealed class SilenceListHandler(IActorRef aggregator)
    : ControlHandler<NoArgs, SilenceListResult>("silence-list", ControlJson.Default.NoArgs, ControlJson.Default.SilenceListResult)
{
    protected override async Task<SilenceListResult> HandleAsync(NoArgs args, CancellationToken cancel)
    {
        var list = await aggregator.Ask<StateAggregator.SilenceList>(StateAggregator.ListSilences.Instance, TimeSpan.FromSeconds(10), cancel);
        return new SilenceListResult(list.Silences.Select(SilenceAddHandler.View).ToList());
    }
}

/// <summary><c>silence-expire</c>: ends a silence now (the reconcile rule then applies to the checks it held).</summary>
public sealed class SilenceExpireHandler(IActorRef aggregator)
    : ControlHandler<SilenceExpireArgs, SilenceExpireResult>("silence-expire", ControlJson.Default.SilenceExpireArgs, ControlJson.Default.SilenceExpireResult)
{
    protected override async Task<SilenceExpireResult> HandleAsync(SilenceExpireArgs args, CancellationToken cancel)
    {
        var expired = await aggregator.Ask<StateAggregator.SilenceExpired>(
            new StateAggregator.ExpireSilence(args.Id), TimeSpan.FromSeconds(10), cancel);
        return new SilenceExpireResult(expired.Id, expired.Found);
    }
}

/// <summary><c>ack</c>: acknowledges the open incident of a check, which stops its reminders.</summary>
public sealed class AckHandler(IActorRef aggregator)
    : ControlHandler<AckArgs, AckResult>("ack", ControlJson.Default.AckArgs, ControlJson.Default.AckResult)
{
    protected override async Task<AckResult> HandleAsync(AckArgs args, CancellationToken cancel)
    {
        if (args.Check.Length == 0) throw new ControlRequestException("ack needs a CHECK");
        var acked = await aggregator.Ask<StateAggregator.Acknowledged>(
            new StateAggregator.Acknowledge(args.Check, args.Comment), TimeSpan.FromSeconds(10), cancel);
        return new AckResult(acked.Ack?.Incident, acked.Refusal);
    }
}
