using Akka.Actor;
using Akka.Event;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;

namespace Picomon.Actors;

/// <summary>Turns <c>SIGUSR1</c> (relayed by the daemon's signal handler, which only <c>Tell</c>s) into the
/// state dump (README "Behaviour worth knowing", Signals) on stdout followed by a run of every check. Signals arriving while a dump is being prepared are folded into
/// one more dump, so a storm of signals costs at most two dumps per round trip to the aggregator.</summary>
public sealed class SignalListener : ReceiveActor
{
    /// <summary>What the SIGUSR1 handler tells.</summary>
    public sealed class DumpRequested : INoSerializationVerificationNeeded
    {
        public static readonly DumpRequested Instance = new();
        private DumpRequested() { }
    }

    /// <summary>A reload changed the list of checks.</summary>
    public sealed record UpdateChecks(IReadOnlyList<CheckDefinition> Checks) : INoSerializationVerificationNeeded;

    private readonly IActorRef _aggregator;
    private readonly IActorRef _checks;
    private readonly TextWriter _output;
    private IReadOnlyDictionary<string, CheckDefinition> _definitions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _pending;
    private bool _again;

    public SignalListener(IActorRef aggregator, IActorRef checks, IReadOnlyList<CheckDefinition> definitions,
        TextWriter output)
    {
        _aggregator = aggregator;
        _checks = checks;
        _output = output;
        _definitions = definitions.ToDictionary(d => d.Id);
        Receive<DumpRequested>(_ => OnDumpRequested());
        Receive<StateSnapshot>(OnSnapshot);
        Receive<UpdateChecks>(u => _definitions = u.Checks.ToDictionary(d => d.Id));
    }

    public static Props Props(IActorRef aggregator, IActorRef checks, IReadOnlyList<CheckDefinition> definitions,
        TextWriter output) =>
        Akka.Actor.Props.Create(() => new SignalListener(aggregator, checks, definitions, output));

    private void OnDumpRequested()
    {
        if (_pending)
        {
            _again = true;
            return;
        }
        _pending = true;
        // The aggregator answers after every result already in its mailbox: the dump reflects them all.
        _aggregator.Tell(StateAggregator.GetSnapshot.Instance);
    }

    private void OnSnapshot(StateSnapshot snapshot)
    {
        var errors = StateSnapshot.ToErrors(snapshot.InError,
            id => _definitions.TryGetValue(id, out var d) ? d.Target.Name : id);
        _output.Write(StateText.Dump(errors, snapshot.NotInError(_definitions.Keys)));
        _output.Flush();
        _log.Info("State dumped on SIGUSR1; running every check now");
        _checks.Tell(ChecksSupervisor.RunAllNow.Instance);
        _pending = false;
        if (!_again) return;
        _again = false;
        OnDumpRequested();
    }
}
