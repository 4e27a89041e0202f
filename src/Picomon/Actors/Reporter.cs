using Akka.Actor;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;

namespace Picomon.Actors;

/// <summary>Owns the global report timer (README "Behaviour worth knowing", Reports): every <c>emails.report.every</c> it asks the aggregator
/// for the state table and, when some checks have been in error for longer than that interval, sends one
/// report mail listing them. Nothing in error that long: no mail. An interval of 0 disables it.</summary>
public sealed class Reporter : ReceiveActor, IWithTimers
{
    /// <summary>A reload: new mail settings (interval, subject) and the new list of checks.</summary>
    public sealed record UpdateSettings(EmailSettings Emails, IReadOnlyList<CheckDefinition> Checks) : INoSerializationVerificationNeeded;

    private sealed class ReportDue : INoSerializationVerificationNeeded
    {
        public static readonly ReportDue Instance = new();
        private ReportDue() { }
    }

    private const string TimerKey = "report";
    private readonly IActorRef _aggregator;
    private readonly IActorRef _mailer;
    private readonly MailComposer _composer;
    private IReadOnlyDictionary<string, CheckDefinition> _checks;
    private EmailSettings _emails;

    public Reporter(IActorRef aggregator, IActorRef mailer, MailComposer composer, EmailSettings emails,
        IReadOnlyList<CheckDefinition> checks)
    {
        _aggregator = aggregator;
        _mailer = mailer;
        _composer = composer;
        _emails = emails;
        _checks = checks.ToDictionary(c => c.Id);
        Receive<ReportDue>(_ => _aggregator.Tell(StateAggregator.GetSnapshot.Instance));
        Receive<StateSnapshot>(OnSnapshot);
        Receive<UpdateSettings>(u =>
        {
            _checks = u.Checks.ToDictionary(c => c.Id);
            if (u.Emails.ReportEvery != _emails.ReportEvery) StartTimer(u.Emails.ReportEvery);
            _emails = u.Emails;
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef aggregator, IActorRef mailer, MailComposer composer, EmailSettings emails,
        IReadOnlyList<CheckDefinition> checks) =>
        Akka.Actor.Props.Create(() => new Reporter(aggregator, mailer, composer, emails, checks));

    protected override void PreStart() => StartTimer(_emails.ReportEvery);

    private void StartTimer(TimeSpan every)
    {
        if (every > TimeSpan.Zero)
            Timers.StartPeriodicTimer(TimerKey, ReportDue.Instance, every);
        else
            Timers.Cancel(TimerKey);
    }

    private void OnSnapshot(StateSnapshot snapshot)
    {
        var every = _emails.ReportEvery;
        if (every <= TimeSpan.Zero) return;
        var old = snapshot.InErrorLongerThan(every, snapshot.TakenAt);
        if (old.Count == 0) return;
        var errors = StateSnapshot.ToErrors(old, TargetName);
        _mailer.Tell(new Mailer.Send(_composer.Report(_emails, every, errors, snapshot.NotInError(_checks.Keys), snapshot.TakenAt)));
    }

    private string TargetName(string id) => _checks.TryGetValue(id, out var check) ? check.Target.Name : id;
}
