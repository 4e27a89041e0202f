using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;

namespace Picomon.Actors;

/// <summary>Reloads the configuration on <c>SIGHUP</c> (relayed by the daemon's signal handler) or <c>picomon reload</c>,
/// and answers the latter with the outcome. The file is read and validated first: if it has
/// any problem, every problem is logged and the running configuration stays exactly as it was. If it is
/// valid, checks whose definition did not change keep their state and schedule, changed ones restart
/// with their state, new ones start, removed ones stop and are forgotten, and mail and notification
/// settings (channels, routes, grouping, reminders) apply to the next notification. <c>state-dir</c>, <c>verb-level</c>,
/// <c>akka</c> and <c>http</c> changes need a restart.</summary>
public sealed class ConfigReloader : ReceiveActor
{
    /// <summary>Reload now; the sender gets a <see cref="ReloadOutcome"/>. <see cref="Origin"/> names the
    /// request in the log lines.</summary>
    public sealed class ReloadRequested : INoSerializationVerificationNeeded
    {
        /// <summary>What the SIGHUP handler tells.</summary>
        public static readonly ReloadRequested Instance = new("SIGHUP");
        /// <summary>What <c>picomon reload</c> asks, through the control socket.</summary>
        public static readonly ReloadRequested Control = new("picomon reload");
        /// <summary>What a cluster node asks of its reloader when another node's reload applies to every node.</summary>
        public static readonly ReloadRequested Cluster = new("reload from another node");
        private ReloadRequested(string origin) => Origin = origin;
        public string Origin { get; }
    }

    /// <summary>What a reload did: applied (with the checks supervisor's counts, once it has applied them, and
    /// the changes that need a restart), or refused with every configuration error.</summary>
    public sealed record ReloadOutcome(string Source, ChecksSupervisor.Reconfigured? Applied,
        IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors) : INoSerializationVerificationNeeded;

    /// <summary>Asks for the checks of the running configuration; the answer is a <see cref="RunningChecks"/>.</summary>
    public sealed class GetChecks : INoSerializationVerificationNeeded
    {
        public static readonly GetChecks Instance = new();
        private GetChecks() { }
    }

    public sealed record RunningChecks(IReadOnlyList<CheckDefinition> Checks) : INoSerializationVerificationNeeded;

    /// <summary>The actors a reload reconfigures.</summary>
    public sealed record Targets(IActorRef Checks, IActorRef Aggregator, IActorRef Notifier, IActorRef Mailer, IActorRef Reporter,
        IActorRef Signals);

    private readonly Func<PicomonSettings> _load;
    private readonly Targets _targets;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Reloads waiting for the supervisor's counts, which it gives in the order it was told.
    private readonly Queue<(IActorRef Requester, IReadOnlyList<string> Warnings)> _applying = new();
    private PicomonSettings _current;

    public ConfigReloader(Func<PicomonSettings> load, PicomonSettings current, Targets targets)
    {
        _load = load;
        _current = current;
        _targets = targets;
        Receive<ReloadRequested>(Reload);
        Receive<ChecksSupervisor.Reconfigured>(OnReconfigured);
        Receive<GetChecks>(_ => Sender.Tell(new RunningChecks(_current.Checks)));
    }

    /// <param name="load">Reads and validates the configuration file; throws <see cref="ConfigException"/>.</param>
    public static Props Props(Func<PicomonSettings> load, PicomonSettings current, Targets targets) =>
        Akka.Actor.Props.Create(() => new ConfigReloader(load, current, targets));

    /// <summary>The line logged once a reload has been applied (and told to <c>picomon reload</c>).</summary>
    public static string Summary(string source, ChecksSupervisor.Reconfigured r) =>
        $"Configuration reloaded from {source}: {r.Unchanged} checks unchanged, {r.Changed} changed, {r.Added} added, {r.Removed} removed";

    private void OnReconfigured(ChecksSupervisor.Reconfigured counts)
    {
        _log.Info("{0}", Summary(_current.Source, counts));
        if (_applying.TryDequeue(out var waiting) && !waiting.Requester.IsNobody())
            waiting.Requester.Tell(new ReloadOutcome(_current.Source, counts, waiting.Warnings, []));
    }

    private void Reload(ReloadRequested request)
    {
        PicomonSettings next;
        try
        {
            next = _load();
        }
        catch (ConfigException e)
        {
            _log.Error("{0}: the configuration has {1} problem(s); still running the previous one", request.Origin, e.Errors.Count);
            foreach (var error in e.Errors) _log.Error("{0}", error);
            if (!Sender.IsNobody())
                Sender.Tell(new ReloadOutcome(_current.Source, null, [], e.Errors.Select(error => error.ToString()).ToList()));
            return;
        }
        var warnings = RestartOnlyChanges(next).ToList();
        foreach (var warning in warnings) _log.Warning("{0}: {1}", request.Origin, warning);
        _applying.Enqueue((Sender, warnings));
        _targets.Aggregator.Tell(StateAggregator.Reconfigure.From(next));
        _targets.Notifier.Tell(new Notifier.Reconfigure(next));
        _targets.Mailer.Tell(new Mailer.UpdateSettings(next.Emails));
        _targets.Reporter.Tell(new Reporter.UpdateSettings(next.Emails, next.Checks));
        _targets.Signals.Tell(new SignalListener.UpdateChecks(next.Checks));
        _targets.Checks.Tell(new ChecksSupervisor.Reconfigure(next.Checks, next.BaseTick));
        _current = next;
    }

    private IEnumerable<string> RestartOnlyChanges(PicomonSettings next)
    {
        if (next.StateDir != _current.StateDir)
            yield return $"state-dir changed to {next.StateDir}; it takes effect at the next start";
        if (next.VerbLevel != _current.VerbLevel)
            yield return "verb-level changed; it takes effect at the next start";
        if (next.AkkaHocon != _current.AkkaHocon)
            yield return "akka settings changed; they take effect at the next start";
        if (next.Http != _current.Http)
            yield return "http settings changed; they take effect at the next start";
        if (next.Cluster != _current.Cluster)
            yield return "cluster settings changed; they take effect at the next start";
    }
}
