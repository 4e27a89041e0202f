using Akka.Actor;
using Akka.Event;
using Picomon.Configuration;

namespace Picomon.Actors;

/// <summary>Reloads the configuration on <c>SIGHUP</c> (relayed by the daemon's signal handler). The file is read and validated first: if it has
/// any problem, every problem is logged and the running configuration stays exactly as it was. If it is
/// valid, checks whose definition did not change keep their state and schedule, changed ones restart
/// with their state, new ones start, removed ones stop and are forgotten, and mail and notification
/// settings (channels, routes, grouping, reminders) apply to the next notification. <c>state-dir</c>, <c>verb-level</c> and <c>akka</c> changes need a restart.</summary>
public sealed class ConfigReloader : ReceiveActor
{
    /// <summary>What the SIGHUP handler tells.</summary>
    public sealed class ReloadRequested
    {
        public static readonly ReloadRequested Instance = new();
        private ReloadRequested() { }
    }

    /// <summary>The actors a reload reconfigures.</summary>
    public sealed record Targets(IActorRef Checks, IActorRef Aggregator, IActorRef Notifier, IActorRef Mailer, IActorRef Reporter,
        IActorRef Signals);

    private readonly Func<PicomonSettings> _load;
    private readonly Targets _targets;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PicomonSettings _current;

    public ConfigReloader(Func<PicomonSettings> load, PicomonSettings current, Targets targets)
    {
        _load = load;
        _current = current;
        _targets = targets;
        Receive<ReloadRequested>(_ => Reload());
        Receive<ChecksSupervisor.Reconfigured>(r => _log.Info(
            "Configuration reloaded from {0}: {1} checks unchanged, {2} changed, {3} added, {4} removed",
            _current.Source, r.Unchanged, r.Changed, r.Added, r.Removed));
    }

    /// <param name="load">Reads and validates the configuration file; throws <see cref="ConfigException"/>.</param>
    public static Props Props(Func<PicomonSettings> load, PicomonSettings current, Targets targets) =>
        Akka.Actor.Props.Create(() => new ConfigReloader(load, current, targets));

    private void Reload()
    {
        PicomonSettings next;
        try
        {
            next = _load();
        }
        catch (ConfigException e)
        {
            _log.Error("SIGHUP: the configuration has {0} problem(s); still running the previous one", e.Errors.Count);
            foreach (var error in e.Errors) _log.Error("{0}", error);
            return;
        }
        WarnAboutRestartOnly(next);
        _targets.Aggregator.Tell(new StateAggregator.Retain(next.Checks.Select(c => c.Id).ToList()));
        _targets.Notifier.Tell(new Notifier.Reconfigure(next));
        _targets.Mailer.Tell(new Mailer.UpdateSettings(next.Emails));
        _targets.Reporter.Tell(new Reporter.UpdateSettings(next.Emails, next.Checks));
        _targets.Signals.Tell(new SignalListener.UpdateChecks(next.Checks));
        _targets.Checks.Tell(new ChecksSupervisor.Reconfigure(next.Checks, next.BaseTick));
        _current = next;
    }

    private void WarnAboutRestartOnly(PicomonSettings next)
    {
        if (next.StateDir != _current.StateDir)
            _log.Warning("SIGHUP: state-dir changed to {0}; it takes effect at the next start", next.StateDir);
        if (next.VerbLevel != _current.VerbLevel)
            _log.Warning("SIGHUP: verb-level changed; it takes effect at the next start");
        if (next.AkkaHocon != _current.AkkaHocon)
            _log.Warning("SIGHUP: akka settings changed; they take effect at the next start");
    }
}
