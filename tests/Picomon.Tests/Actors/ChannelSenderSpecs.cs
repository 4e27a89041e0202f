using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Metrics;
using Picomon.Notifications;
using Picomon.State;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

/// <summary>A webhook or exec channel's sender against real receivers (Kestrel, a real program), its retry timer on
/// virtual time: in order, retried until delivered, a refusal set aside, and no secret in any log line.</summary>
public sealed class ChannelSenderSpecs : ActorSpec, IAsyncLifetime
{
    private const string Secret = "s3cret";
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);
    private readonly MemoryStateStore _store = new();
    private readonly NotificationCounters _counters = new();
    private readonly ConcurrentQueue<string> _logs = new();
    private WebhookReceiver _receiver = null!;

    public ChannelSenderSpecs(ITestOutputHelper output) : base(output) =>
        Sys.EventStream.Subscribe(Sys.ActorOf(Props.Create(() => new LogCollector(_logs))), typeof(LogEvent));

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static Delivery Delivery(int n) =>
        new($"<d{n}@monitor>", n == 1 ? "problem" : "ok", $"message {n}", $$"""{"n":{{n}}}""", "application/json",
            new Dictionary<string, string> { ["PICOMON_KIND"] = "problem" }, T);

    private void Queue(string channel, params int[] numbers)
    {
        var changes = new NotificationChanges();
        foreach (var n in numbers) changes.Deliveries.Add((channel, Delivery(n)));
        _store.Commit(changes);
    }

    private WebhookTransport Webhook(int port, string scheme = "http") =>
        new(new WebhookChannelSettings("hook", new Uri($"{scheme}://picomon:{Secret}@localhost:{port}/hook/{Secret}?token={Secret}"), "POST",
            [new("Authorization", $"Bearer {Secret}")], TimeSpan.FromSeconds(2), WebhookFormat.Picomon, null));

    private async Task<IActorRef> StartAsync(string channel, IDeliveryTransport transport)
    {
        var sender = Sys.ActorOf(ChannelSender.Props(channel, _store.DeliveryOutbox(channel), transport, Retry, _counters));
        await sender.Ask<ActorIdentity>(new Identify(null), Wait);
        return sender;
    }

    private IEnumerable<int> Accepted => _receiver.Accepted.Select(r => int.Parse(r.Body[5..^1]));

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_every_message_afterwards_in_order_and_once()
    {
        _receiver.Answer = WebhookReceiver.Mode.Unavailable;
        Queue("hook", 1, 2, 3);
        await StartAsync("hook", Webhook(_receiver.Port));
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("hook") == 1), Wait);

        await AdvanceAsync(Retry);
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("hook") == 2), Wait);
        _receiver.Answer = WebhookReceiver.Mode.Ok;
        Assert.Empty(_receiver.Accepted);
        await AdvanceAsync(Retry - TimeSpan.FromSeconds(1));
        Assert.Equal(2, _receiver.Requests.Count);
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        await _receiver.WaitForAcceptedAsync(3, Wait);
        await AwaitConditionAsync(() => Task.FromResult(_store.DeliveryOutbox("hook").Count == 0), Wait);
        Assert.Equal([1, 2, 3], Accepted);
        Assert.Equal([1, 1, 1, 2, 3], _receiver.Requests.Select(r => int.Parse(r.Body[5..^1])));
        Assert.Equal((1, 2, 2, 0), (_counters.SentCount("hook", "problem"), _counters.SentCount("hook", "ok"), _counters.FailedCount("hook"), _counters.QueuedCount("hook")));
        Assert.Contains(_logs, l => l.Contains($"cannot deliver via hook (http://localhost:{_receiver.Port}/…): HTTP 503 Service Unavailable; 3 notification(s) queued, retrying in 00:01:00"));
    }

    [Fact]
    public async Task Queued_messages_leave_back_to_back_in_order_without_any_timer()
    {
        var numbers = Enumerable.Range(1, 50).ToArray();
        Queue("hook", numbers);

        await StartAsync("hook", Webhook(_receiver.Port));

        // Virtual time never moves: only the sender's own turns can send them all.
        await _receiver.WaitForAcceptedAsync(numbers.Length, Wait);
        await AwaitConditionAsync(() => Task.FromResult(_store.DeliveryOutbox("hook").Count == 0), Wait);
        Assert.Equal(numbers, Accepted);
        Assert.Equal(numbers.Length, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_refused_message_is_set_aside_with_an_error_and_the_next_one_goes_out()
    {
        _receiver.Answer = WebhookReceiver.Mode.BadRequest;
        Queue("hook", 1);
        var sender = await StartAsync("hook", Webhook(_receiver.Port));
        await AwaitConditionAsync(() => Task.FromResult(_store.DeliveryOutbox("hook").DeadLetters.Count == 1), Wait);
        _receiver.Answer = WebhookReceiver.Mode.Ok;

        Queue("hook", 2);
        sender.Tell(ChannelSender.Deliver.Instance);

        await _receiver.WaitForAcceptedAsync(1, Wait);
        Assert.Equal([2], Accepted);
        Assert.Equal("HTTP 400 Bad Request", Assert.Single(_store.DeliveryOutbox("hook").DeadLetters).Reason);
        Assert.Contains(_logs, l => l.Contains($"notification refused by hook (http://localhost:{_receiver.Port}/…), kept in the dead-letter list: message 1: HTTP 400 Bad Request"));
    }

    [Fact]
    public async Task An_exec_channel_is_retried_until_its_program_exits_0_in_order()
    {
        using var notifier = new ExecNotifier { Exit = "1" };
        Queue("page", 1, 2);
        await StartAsync("page", new ExecTransport(new ExecChannelSettings("page", [.. notifier.Command, Secret], TimeSpan.FromSeconds(30))));
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("page") == 1), Wait);
        notifier.Exit = "0";

        await AdvanceAsync(Retry);

        await AwaitConditionAsync(() => Task.FromResult(notifier.Delivered.Count == 2), Wait);
        Assert.Equal(["""{"n":1}""", """{"n":1}""", """{"n":2}"""], notifier.Runs.Select(r => r.Stdin));
        Assert.Contains(_logs, l => l.Contains($"cannot deliver via page (exec {ExecNotifier.Script}): exit status 1: notifier: exiting with 1"));
    }

    [Fact]
    public async Task No_secret_of_the_url_or_headers_reaches_a_log_line_whatever_happens()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var refusedPort = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var certificate = NetWebServer.Certificate(DateTimeOffset.UtcNow.AddDays(30));
        await using var https = await WebhookReceiver.StartAsync(certificate);
        await using var refusing = await WebhookReceiver.StartAsync();
        refusing.Answer = WebhookReceiver.Mode.BadRequest;
        Queue("refused", 1);
        Queue("tls", 1);
        Queue("refusing", 1);
        Queue("answers", 1, 2);
        await StartAsync("refused", Webhook(refusedPort));
        await StartAsync("tls", Webhook(https.Port, "https"));
        await StartAsync("refusing", Webhook(refusing.Port));
        _receiver.Answer = WebhookReceiver.Mode.Unavailable;
        var answers = await StartAsync("answers", Webhook(_receiver.Port));
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("answers") == 1), Wait);
        _receiver.Answer = WebhookReceiver.Mode.Hang;
        await AdvanceAsync(Retry, answers);
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("answers") == 2), Wait);
        _receiver.Answer = WebhookReceiver.Mode.Ok;
        await AdvanceAsync(Retry, answers);
        await _receiver.WaitForAcceptedAsync(2, Wait);
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("refused") >= 1 && _counters.FailedCount("tls") >= 1
                                                        && _counters.FailedCount("refusing") == 1 && _counters.SentCount("answers", "ok") == 1), Wait);

        Assert.Contains(_logs, l => l.Contains("Connection refused"));
        Assert.Contains(_logs, l => l.Contains("TLS handshake failed"));
        Assert.Contains(_logs, l => l.Contains("no answer within 2s"));
        Assert.Contains(_logs, l => l.Contains("HTTP 400 Bad Request"));
        Assert.Contains(_logs, l => l.Contains("notification sent via answers"));
        Assert.Equal($"Bearer {Secret}", _receiver.Accepted[0].Headers["Authorization"]);
        Assert.All(_logs, l => Assert.DoesNotContain(Secret, l));
    }

    [Fact]
    public async Task A_flush_is_answered_at_once_when_empty_and_with_what_is_left_at_its_deadline()
    {
        var sender = await StartAsync("hook", Webhook(_receiver.Port));
        Assert.Equal(0, (await sender.Ask<ChannelSender.Flushed>(new ChannelSender.Flush(TimeSpan.FromSeconds(10)), Wait)).Unsent);

        _receiver.Answer = WebhookReceiver.Mode.Unavailable;
        Queue("hook", 1, 2);
        sender.Tell(ChannelSender.Deliver.Instance);
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("hook") == 1), Wait);
        var flushed = sender.Ask<ChannelSender.Flushed>(new ChannelSender.Flush(TimeSpan.FromSeconds(10)), Wait);
        await AwaitConditionAsync(() => Task.FromResult(_counters.FailedCount("hook") == 2), Wait);
        await AdvanceAsync(TimeSpan.FromSeconds(10), sender);

        Assert.Equal(2, (await flushed).Unsent);
    }

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(ConcurrentQueue<string> lines) => Receive<LogEvent>(e => lines.Enqueue($"{e} {e.Cause}"));
    }
}
