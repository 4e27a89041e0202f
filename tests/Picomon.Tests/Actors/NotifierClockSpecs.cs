using Akka.Actor;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

/// <summary>The notifier's grouping windows when the wall clock reads behind the timers' clock: a window closes when
/// its own timer fires, not a timer later, and no other window closes before its time.</summary>
public sealed class NotifierClockSpecs(ITestOutputHelper output) : ActorSpec(output, LaggingClockScheduler.TypeName), IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(30);
    private readonly MemoryStateStore _store = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"picomon-notifier-clock-{Guid.NewGuid():N}.conf");

    public new void Dispose()
    {
        File.Delete(_file);
        base.Dispose();
    }

    private PicomonSettings Settings()
    {
        File.WriteAllText(_file, """
            picomon.notify {
              channels.hook { type = webhook, url = "http://127.0.0.1:9/hook" }
              default-channels = [hook]
              group-by = check, group-wait = 30s
            }
            picomon.checks = [ { type = tcp4, hosts = ["192.0.2.1", "192.0.2.2"], port = 1 } ]
            """);
        return ConfigLoader.Load(_file);
    }

    private void Problem(IActorRef notifier, int n)
    {
        var at = Clock.Now;
        var problem = new Notification(NotificationKind.Problem, $"tcp4/192.0.2.{n}#1", $"tcp4/192.0.2.{n}", "CheckTCP4", $"192.0.2.{n}",
            CheckStatus.Error, at, at, "Connection refused", Tick);
        var row = new StoredCheck(problem.CheckId, CheckStatus.Error, at, 1, problem.Message, at, 1);
        notifier.Tell(new Notifier.Queued(_store.CommitTransitions([row], [problem])));
    }

    [Fact]
    public async Task A_window_closes_when_its_timer_fires_though_the_wall_clock_reads_a_hair_before_and_the_next_one_waits_its_time()
    {
        var hook = CreateTestProbe();
        var notifier = Sys.ActorOf(Notifier.Props(Settings(), _store, ActorTestChecks.Composer, new OneSender(hook)), "notifier");
        // Started (it reads what is pending at start) before anything is committed.
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);
        Problem(notifier, 1);
        await AdvanceAsync(TimeSpan.FromSeconds(10), notifier);
        Problem(notifier, 2);
        await SettledAsync(notifier);
        ((LaggingClockScheduler)Clock).Lag = TimeSpan.FromMilliseconds(1);

        await AdvanceAsync(GroupWait - TimeSpan.FromSeconds(10), notifier);

        await hook.ExpectMsgAsync<ChannelSender.Deliver>(Wait);
        Assert.Equal(["tcp4/192.0.2.1#1"], Incidents());
        await AdvanceAsync(TimeSpan.FromSeconds(10), notifier);
        await hook.ExpectMsgAsync<ChannelSender.Deliver>(Wait);
        Assert.Equal(["tcp4/192.0.2.2#1"], Incidents());
    }

    /// <summary>The notifier has taken what it was told into its windows: it does so in a message it tells itself, which
    /// the second round trip comes after.</summary>
    private async Task SettledAsync(IActorRef notifier)
    {
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);
        await notifier.Ask<ActorIdentity>(new Identify(null), Wait);
    }

    /// <summary>The incidents announced by the messages queued for the hook, taken out of its outbox.</summary>
    private List<string> Incidents()
    {
        var incidents = new List<string>();
        while (_store.DeliveryOutbox("hook").Peek() is { } delivery)
        {
            var json = System.Text.Json.JsonDocument.Parse(delivery.Body).RootElement;
            // A window that gathered one notification may still be a digest of one item; either names its incident.
            incidents.AddRange(json.GetProperty("kind").GetString() == "digest"
                ? json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("incident").GetString()!)
                : [json.GetProperty("incident").GetString()!]);
            _store.DeliveryOutbox("hook").MarkSent(delivery);
        }
        return incidents;
    }

    private sealed class OneSender(Akka.TestKit.TestProbe hook) : IChannelSenders
    {
        public IActorRef Start(IUntypedActorContext context, ChannelSettings channel, PicomonSettings settings) => hook.Ref;

        public object Reconfigure(ChannelSettings channel, PicomonSettings settings) => channel.Name;
    }
}
