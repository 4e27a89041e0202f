using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

/// <summary>The notifier on virtual time, its senders replaced by probes and its outboxes read from the store: routing,
/// grouping windows and group-interval, dropping a Problem that recovered before its digest, threading across
/// digests, reminders, and what a restart finds pending or due.</summary>
public sealed class NotifierSpecs(ITestOutputHelper output) : ActorSpec(output), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly MemoryStateStore _store = new();
    private readonly FakeSenders _senders = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"picomon-notifier-{Guid.NewGuid():N}.conf");

    public new void Dispose()
    {
        File.Delete(_file);
        base.Dispose();
    }

    /// <summary>20 tcp4 checks on 192.0.2.1 to .20; .1–.10 notify ops and hook, .11–.20 ops and page.</summary>
    private PicomonSettings Settings(string notify)
    {
        var hosts = string.Join(", ", Enumerable.Range(1, 10).Select(i => $"\"192.0.2.{i}\""));
        var others = string.Join(", ", Enumerable.Range(11, 10).Select(i => $"\"192.0.2.{i}\""));
        File.WriteAllText(_file, $$"""
            picomon.emails { to = ["reports@example.org"], addr-from = "Picomon <picomon@mon.example.org>" }
            picomon.notify {
              channels {
                ops  { type = mail, to = ["ops@example.org"] }
                hook { type = webhook, url = "http://127.0.0.1:9/hook" }
                page { type = exec, command = ["/bin/true"] }
              }
              default-channels = [ops]
              {{notify}}
            }
            picomon.checks = [
              { type = tcp4, hosts = [{{hosts}}], port = 1, channels = [ops, hook] }
              { type = tcp4, hosts = [{{others}}], port = 1, channels = [ops, page] }
            ]
            """);
        return ConfigLoader.Load(_file);
    }

    private static string Check(int n) => $"tcp4/192.0.2.{n}";

    private Notification Problem(int n, int incident = 1) =>
        new(NotificationKind.Problem, $"{Check(n)}#{incident}", Check(n), "CheckTCP4", $"192.0.2.{n}", CheckStatus.Error, Clock.Now, Clock.Now,
            "Connection refused", Tick);

    private Notification Ok(int n, int incident = 1) =>
        Problem(n, incident) with { Kind = NotificationKind.Ok, State = CheckStatus.Ok, Since = Clock.Now - 5 * Tick };

    /// <summary>As the aggregator does it: the rows and notifications committed, then the notifier told.</summary>
    private void Transition(IActorRef notifier, params Notification[] notifications)
    {
        var rows = notifications.Select(n => new StoredCheck(n.CheckId, n.Kind == NotificationKind.Ok ? CheckStatus.Ok : CheckStatus.Error,
            n.At, 1, n.Message, n.Kind == NotificationKind.Ok ? null : n.Since, int.Parse(n.Incident.Split('#')[1]))).ToList();
        notifier.Tell(new Notifier.Queued(_store.CommitTransitions(rows, notifications)));
    }

    private async Task<IActorRef> StartAsync(PicomonSettings settings)
    {
        var notifier = Sys.ActorOf(Notifier.Props(settings, _store, ActorTestChecks.Composer, _senders), "notifier");
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);
        return notifier;
    }

    private List<OutgoingMail> Mails(string channel)
    {
        var mails = new List<OutgoingMail>();
        while (_store.MailOutbox(channel).Peek() is { } mail)
        {
            mails.Add(mail);
            _store.MailOutbox(channel).MarkSent(mail);
        }
        return mails;
    }

    private List<JsonElement> Deliveries(string channel)
    {
        var bodies = new List<JsonElement>();
        while (_store.DeliveryOutbox(channel).Peek() is { } delivery)
        {
            bodies.Add(JsonDocument.Parse(delivery.Body).RootElement);
            _store.DeliveryOutbox(channel).MarkSent(delivery);
        }
        return bodies;
    }

    [Fact]
    public async Task Without_grouping_each_notification_goes_at_once_to_its_checks_channels_and_their_senders_are_woken()
    {
        var notifier = await StartAsync(Settings(""));

        Transition(notifier, Problem(1), Problem(11));

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        await _senders["hook"].ExpectMsgAsync<ChannelSender.Deliver>();
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        Assert.Equal(["[DOMAIN] Problem: CheckTCP4 on 192.0.2.1", "[DOMAIN] Problem: CheckTCP4 on 192.0.2.11"], Mails("ops").Select(m => m.Subject));
        Assert.Equal(["problem"], Deliveries("hook").Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal([Check(11)], Deliveries("page").Select(d => d.GetProperty("check").GetString()));
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task An_ok_answers_the_message_that_announced_its_problem_on_each_channel()
    {
        var notifier = await StartAsync(Settings(""));
        Transition(notifier, Problem(1));
        await _senders["hook"].ExpectMsgAsync<ChannelSender.Deliver>();
        var problemMail = Assert.Single(Mails("ops"));
        var problemHook = Assert.Single(Deliveries("hook")).GetProperty("messageId").GetString();

        Transition(notifier, Ok(1));

        await _senders["hook"].ExpectMsgAsync<ChannelSender.Deliver>();
        var ok = Assert.Single(Mails("ops"));
        Assert.Equal(("[DOMAIN] OK: CheckTCP4 on 192.0.2.1", problemMail.MessageId, null), (ok.Subject, ok.InReplyTo, ok.References));
        Assert.Equal("ok", Assert.Single(Deliveries("hook")).GetProperty("kind").GetString());
        Assert.NotNull(problemHook);
        Assert.Null(_store.AnnouncedBy("ops", $"{Check(1)}#1"));
    }

    [Fact]
    public async Task A_window_gathers_what_its_group_produces_into_one_digest_per_channel_when_it_closes()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 30s"));

        Transition(notifier, [.. Enumerable.Range(1, 20).Select(n => Problem(n))]);
        await AdvanceAsync(TimeSpan.FromSeconds(29), notifier);
        Assert.Equal(0, _store.MailOutbox("ops").Count);
        Assert.Equal(20, _store.LoadPending().Count);
        await AdvanceAsync(TimeSpan.FromSeconds(1), notifier);

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var digest = Assert.Single(Mails("ops"));
        Assert.Equal("[DOMAIN] 20 Problem, 0 OK: tcp4/192.0.2.1, tcp4/192.0.2.2, tcp4/192.0.2.3 and 17 more", digest.Subject);
        Assert.Equal(20, digest.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(10, Assert.Single(Deliveries("hook")).GetProperty("items").GetArrayLength());
        Assert.Equal(10, Assert.Single(Deliveries("page")).GetProperty("items").GetArrayLength());
        Assert.Empty(_store.LoadPending());
        Assert.All(Enumerable.Range(1, 20), n => Assert.Equal(digest.MessageId, _store.AnnouncedBy("ops", $"{Check(n)}#1")));
    }

    [Fact]
    public async Task Later_notifications_of_a_group_are_gathered_until_group_interval_after_its_last_digest()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 30s, group-interval = 5m"));
        Transition(notifier, Problem(1));
        await AdvanceAsync(TimeSpan.FromSeconds(30), notifier);
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        Assert.Single(Mails("ops"));

        await AdvanceAsync(TimeSpan.FromSeconds(10), notifier);
        Transition(notifier, Problem(2));
        await AdvanceAsync(TimeSpan.FromMinutes(1), notifier);
        Transition(notifier, Problem(3));
        await AdvanceToAsync(Clock.Now + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(70) - TimeSpan.FromSeconds(1), notifier);
        Assert.Equal(0, _store.MailOutbox("ops").Count);
        await AdvanceAsync(TimeSpan.FromSeconds(1), notifier);

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        Assert.Equal("[DOMAIN] 2 Problem, 0 OK: tcp4/192.0.2.2, tcp4/192.0.2.3", Assert.Single(Mails("ops")).Subject);
    }

    [Fact]
    public async Task Checks_made_unreachable_join_their_parent_s_Problem_in_its_window_and_later_ones_are_one_reply_in_its_thread()
    {
        var notifier = await StartAsync(Settings("group-wait = 30s, group-interval = 1m"));
        Notification Affected(params string[] children) => Problem(1) with { Kind = NotificationKind.Affected, Affected = children };

        Transition(notifier, Problem(1));
        await AdvanceAsync(TimeSpan.FromSeconds(10), notifier);
        Transition(notifier, Affected("tcp4/a"));
        Transition(notifier, Affected("tcp4/b"));
        await AdvanceAsync(TimeSpan.FromSeconds(20), notifier);
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var problem = Assert.Single(Mails("ops"));
        Assert.Equal("[DOMAIN] Problem: CheckTCP4 on 192.0.2.1", problem.Subject);
        Assert.EndsWith("Connection refused\n\nAffected:\ntcp4/a\ntcp4/b\n", problem.Body);
        Assert.Equal(["tcp4/a", "tcp4/b"], Assert.Single(Deliveries("hook")).GetProperty("affected").EnumerateArray().Select(e => e.GetString()));

        Transition(notifier, Affected("tcp4/c"));
        Transition(notifier, Affected("tcp4/d"));
        await AdvanceAsync(TimeSpan.FromMinutes(1), notifier);
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var reply = Assert.Single(Mails("ops"));
        Assert.Equal(("[DOMAIN] Affected: CheckTCP4 on 192.0.2.1", problem.MessageId), (reply.Subject, reply.InReplyTo));
        Assert.EndsWith("\nAffected:\ntcp4/c\ntcp4/d\n", reply.Body);
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task A_problem_that_recovers_before_its_digest_leaves_is_dropped_with_its_ok_and_counted()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 30s"));

        Transition(notifier, Problem(1), Problem(2));
        await AdvanceAsync(TimeSpan.FromSeconds(10), notifier);
        Transition(notifier, Ok(1));
        await AdvanceAsync(TimeSpan.FromSeconds(20), notifier);

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var digest = Assert.Single(Mails("ops"));
        Assert.Equal("[DOMAIN] 1 Problem, 0 OK: tcp4/192.0.2.2", digest.Subject);
        Assert.EndsWith("\n\n1 recovered before notification.\n", digest.Body);
        Assert.DoesNotContain(Check(1), digest.Body);
        Assert.Equal("1 Problem, 0 OK; 1 recovered before notification", Assert.Single(Deliveries("hook")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_window_where_every_problem_recovered_sends_nothing()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 30s"));

        Transition(notifier, Problem(1));
        Transition(notifier, Ok(1));
        await EventFilter.Info("1 problem(s) recovered before notification: nothing sent").ExpectOneAsync(async () =>
            await AdvanceAsync(TimeSpan.FromSeconds(30), notifier));

        await _senders["ops"].ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal((0, 0), (_store.MailOutbox("ops").Count, _store.DeliveryOutbox("hook").Count));
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task The_recovery_digest_answers_every_digest_that_announced_its_problems()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 30s, group-interval = 1m"));
        Transition(notifier, Problem(1), Problem(2));
        await AdvanceAsync(TimeSpan.FromSeconds(30), notifier);
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var first = Assert.Single(Mails("ops"));
        Transition(notifier, Problem(3));
        await AdvanceAsync(TimeSpan.FromMinutes(1), notifier);
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var second = Assert.Single(Mails("ops"));

        Transition(notifier, Ok(1), Ok(2), Ok(3));
        await AdvanceAsync(TimeSpan.FromMinutes(1), notifier);

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var ok = Assert.Single(Mails("ops"));
        Assert.Equal("[DOMAIN] 0 Problem, 3 OK: tcp4/192.0.2.1, tcp4/192.0.2.2, tcp4/192.0.2.3", ok.Subject);
        Assert.Equal((first.MessageId, $"{first.MessageId} {second.MessageId}"), (ok.InReplyTo, ok.References));
    }

    [Fact]
    public async Task An_open_incident_is_reminded_every_repeat_interval_in_its_thread_until_its_ok()
    {
        var notifier = await StartAsync(Settings("repeat-interval = 1h"));
        Transition(notifier, Problem(11));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var problem = Assert.Single(Mails("ops"));
        Deliveries("page");

        foreach (var _ in new[] { 1, 2 })
        {
            await AdvanceToAsync(Clock.Now + TimeSpan.FromHours(1), notifier);
            await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
            var reminder = Assert.Single(Mails("ops"));
            Assert.Equal(("[DOMAIN] Reminder: CheckTCP4 on 192.0.2.11", problem.MessageId), (reminder.Subject, reminder.InReplyTo));
            Assert.Equal("reminder", Assert.Single(Deliveries("page")).GetProperty("kind").GetString());
        }
        Transition(notifier, Ok(11));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        Mails("ops");
        await AdvanceToAsync(Clock.Now + TimeSpan.FromHours(2), notifier);
        Assert.Equal(0, _store.MailOutbox("ops").Count);
        Assert.Empty(_store.LoadReminders());
    }

    /// <summary>The check's row says OK from the moment its recovery is committed, while its OK still waits in its
    /// group's window: a reminder falling due then must neither remind nor end the thread the OK answers.</summary>
    [Fact]
    public async Task A_reminder_due_while_the_ok_waits_for_its_window_leaves_the_thread_for_the_ok()
    {
        var notifier = await StartAsync(Settings("group-wait = 1m, repeat-interval = 1h"));
        Transition(notifier, Problem(11));
        await AdvanceToAsync(Clock.Now + TimeSpan.FromMinutes(1), notifier);
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var problem = Assert.Single(Mails("ops"));
        Deliveries("page");

        // Recovered 30 s before the reminder is due; its window closes 30 s after.
        await AdvanceToAsync(Clock.Now + TimeSpan.FromMinutes(59.5), notifier);
        Transition(notifier, Ok(11));
        await AdvanceToAsync(Clock.Now + TimeSpan.FromSeconds(45), notifier);
        Assert.Equal(0, _store.MailOutbox("ops").Count);
        await AdvanceToAsync(Clock.Now + TimeSpan.FromSeconds(45), notifier);
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();

        var ok = Assert.Single(Mails("ops"));
        Assert.Equal(("[DOMAIN] OK: CheckTCP4 on 192.0.2.11", problem.MessageId), (ok.Subject, ok.InReplyTo));
        Assert.Equal("ok", Assert.Single(Deliveries("page")).GetProperty("kind").GetString());
        Assert.Empty(_store.LoadReminders());
    }

    [Fact]
    public async Task An_acknowledged_incident_gets_no_more_reminders_and_its_ok_still_goes_in_its_thread()
    {
        var notifier = await StartAsync(Settings("repeat-interval = 1h"));
        Transition(notifier, Problem(11));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var problem = Assert.Single(Mails("ops"));
        Deliveries("page");
        await AdvanceToAsync(Clock.Now + TimeSpan.FromHours(1), notifier);
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        Assert.Single(Mails("ops"));
        Deliveries("page");

        _store.Holds.AddAck(new Acknowledgement($"{Check(11)}#1", Check(11), Clock.Now, "on it"));
        await AdvanceToAsync(Clock.Now + TimeSpan.FromHours(3), notifier);
        Assert.Equal((0, 0), (_store.MailOutbox("ops").Count, _store.DeliveryOutbox("page").Count));
        Assert.Single(_store.LoadReminders());

        Transition(notifier, Ok(11));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var ok = Assert.Single(Mails("ops"));
        Assert.Equal(("[DOMAIN] OK: CheckTCP4 on 192.0.2.11", problem.MessageId), (ok.Subject, ok.InReplyTo));
        Assert.Empty(_store.LoadReminders());
    }

    [Fact]
    public async Task A_Flapping_notification_answers_the_Problem_and_a_flapping_check_s_incident_gets_no_reminder_but_keeps_it()
    {
        var notifier = await StartAsync(Settings("repeat-interval = 1h"));
        Transition(notifier, Problem(11));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var problem = Assert.Single(Mails("ops"));
        Deliveries("page");

        var flapping = Problem(11) with { Kind = NotificationKind.Flapping, Message = "the state changed in 34% of the last 10 runs" };
        _store.CommitTransitions([_store.FindCheck(Check(11))! with { Flap = new FlapHistory(0b111, true, true) }], []);
        notifier.Tell(new Notifier.Queued(_store.CommitTransitions([], [flapping])));
        await _senders["page"].ExpectMsgAsync<ChannelSender.Deliver>();
        var mail = Assert.Single(Mails("ops"));
        Assert.Equal(("[DOMAIN] Flapping: CheckTCP4 on 192.0.2.11", problem.MessageId), (mail.Subject, mail.InReplyTo));
        Assert.Equal(("flapping", "flapping"), Deliveries("page").Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("state").GetString())).Single());

        await AdvanceToAsync(Clock.Now + TimeSpan.FromHours(3), notifier);
        Assert.Equal((0, 0), (_store.MailOutbox("ops").Count, _store.DeliveryOutbox("page").Count));
        Assert.Single(_store.LoadReminders());
    }

    [Fact]
    public async Task After_a_restart_a_reminder_long_overdue_is_sent_once_and_the_next_one_an_interval_later()
    {
        _store.CommitTransitions([new StoredCheck(Check(11), CheckStatus.Error, Clock.Now - TimeSpan.FromHours(5), 3, "down",
            Clock.Now - TimeSpan.FromHours(5), 1)], []);
        var changes = new NotificationChanges();
        changes.Announced.Add(("ops", $"{Check(11)}#1", Check(11), "<problem@mon.example.org>"));
        changes.Scheduled.Add(new ScheduledReminder($"{Check(11)}#1", Check(11), Clock.Now - TimeSpan.FromHours(3)));
        _store.Commit(changes);

        await StartAsync(Settings("repeat-interval = 1h"));

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        var reminder = Assert.Single(Mails("ops"));
        Assert.Equal(("<problem@mon.example.org>", "Check tcp4/192.0.2.11 (CheckTCP4 on 192.0.2.11):"),
            (reminder.InReplyTo, reminder.Body.Split('\n')[0]));
        Assert.Contains("still in error after 5:00:00", reminder.Body);
        await AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(0, _store.MailOutbox("ops").Count);
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        Assert.Single(Mails("ops"));
    }

    [Fact]
    public async Task Notifications_pending_at_a_restart_are_sent_and_those_of_an_old_window_at_once()
    {
        _store.CommitTransitions([], [Problem(1) with { At = Clock.Now - TimeSpan.FromMinutes(10) }, Problem(2)]);

        await StartAsync(Settings("group-by = all, group-wait = 30s"));

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        Assert.Equal("[DOMAIN] 2 Problem, 0 OK: tcp4/192.0.2.1, tcp4/192.0.2.2", Assert.Single(Mails("ops")).Subject);
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task A_notification_committed_before_the_notifier_started_and_told_to_it_too_is_sent_once()
    {
        // The daemon starts the checks right after the notifier: a first run may be committed before the notifier
        // reads what is pending, and its Queued arrives after.
        var queued = _store.CommitTransitions([new StoredCheck(Check(1), CheckStatus.Error, Clock.Now, 1, "down", Clock.Now, 1)], [Problem(1)]);
        var notifier = Sys.ActorOf(Notifier.Props(Settings(""), _store, ActorTestChecks.Composer, _senders), "notifier");
        notifier.Tell(new Notifier.Queued(queued));
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);

        await _senders["ops"].ExpectMsgAsync<Mailer.Deliver>();
        Assert.Equal(["[DOMAIN] Problem: CheckTCP4 on 192.0.2.1"], Mails("ops").Select(m => m.Subject));
        Assert.Empty(_store.LoadPending());
    }

    [Fact]
    public async Task Closing_the_windows_sends_what_they_hold_now()
    {
        var notifier = await StartAsync(Settings("group-by = all, group-wait = 5m"));
        Transition(notifier, Problem(1), Problem(12));

        await notifier.Ask<Notifier.WindowsClosed>(Notifier.CloseWindows.Instance, Wait);

        Assert.Equal("[DOMAIN] 2 Problem, 0 OK: tcp4/192.0.2.1, tcp4/192.0.2.12", Assert.Single(Mails("ops")).Subject);
        Assert.Single(Deliveries("page"));
    }

    [Fact]
    public async Task A_reload_starts_new_channels_stops_removed_ones_and_routes_by_the_new_settings()
    {
        var notifier = await StartAsync(Settings(""));
        var settings = Settings("") is var s ? s with
        {
            Notify = s.Notify with
            {
                Channels = [.. s.Notify.Channels.Where(c => c.Name != "page"),
                    new WebhookChannelSettings("extra", new Uri("http://127.0.0.1:9/extra"), "POST", [], Tick, WebhookFormat.Picomon, null)],
                Routes = s.Notify.Routes.ToDictionary(r => r.Key, r => (IReadOnlyList<string>)["hook", "extra"]),
            },
        } : null!;

        notifier.Tell(new Notifier.Reconfigure(settings));
        Transition(notifier, Problem(11));

        await _senders["hook"].ExpectMsgAsync<FakeSenders.Reconfigured>();
        await _senders["hook"].ExpectMsgAsync<ChannelSender.Deliver>();
        await _senders["extra"].ExpectMsgAsync<ChannelSender.Deliver>();
        Assert.Equal(Check(11), Assert.Single(Deliveries("hook")).GetProperty("check").GetString());
        Assert.Single(Deliveries("extra"));
        Assert.Empty(Mails("ops"));
        Assert.Equal(["hook", "ops", "page", "extra"], _senders.Started);
    }

    /// <summary>A probe per channel in place of each sender.</summary>
    private sealed class FakeSenders : IChannelSenders
    {
        private readonly Dictionary<string, TestProbe> _probes = [];

        public List<string> Started { get; } = [];

        public TestProbe this[string channel] => _probes[channel];

        public sealed record Reconfigured(string Channel);

        public IActorRef Start(IUntypedActorContext context, ChannelSettings channel, PicomonSettings settings)
        {
            Started.Add(channel.Name);
            if (!_probes.TryGetValue(channel.Name, out var probe))
                _probes[channel.Name] = probe = new TestProbe(context.System, new Akka.TestKit.Xunit2.XunitAssertions());
            return probe.Ref;
        }

        public object Reconfigure(ChannelSettings channel, PicomonSettings settings) => new Reconfigured(channel.Name);
    }
}
