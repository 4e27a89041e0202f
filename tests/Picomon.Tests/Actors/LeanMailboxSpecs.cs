using Akka.Actor;
using Akka.Configuration;
using Picomon.Actors;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class LeanMailboxSpecs(ITestOutputHelper output) : ActorSpec(output)
{
    private static Envelope Letter(int n) => new(n, ActorRefs.NoSender);

    private static List<object> Drain(LeanMailbox.MessageQueue queue)
    {
        var seen = new List<object>();
        while (queue.TryDequeue(out var envelope)) seen.Add(envelope.Message);
        return seen;
    }

    [Fact]
    public void Hands_out_messages_in_the_order_they_came_and_counts_them()
    {
        var queue = new LeanMailbox.MessageQueue();
        Assert.False(queue.HasMessages);

        for (var i = 1; i <= 5; i++) queue.Enqueue(ActorRefs.Nobody, Letter(i));

        Assert.True(queue.HasMessages);
        Assert.Equal(5, queue.Count);
        Assert.Equal([1, 2, 3, 4, 5], Drain(queue));
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Clean_up_hands_what_is_left_to_the_dead_letters_in_order()
    {
        var queue = new LeanMailbox.MessageQueue();
        var deadLetters = new LeanMailbox.MessageQueue();
        for (var i = 1; i <= 3; i++) queue.Enqueue(ActorRefs.Nobody, Letter(i));

        queue.CleanUp(ActorRefs.Nobody, deadLetters);

        Assert.False(queue.HasMessages);
        Assert.Equal([1, 2, 3], Drain(deadLetters));
    }

    [Fact]
    public async Task Loses_nothing_and_keeps_each_senders_order_with_many_senders_and_one_reader()
    {
        const int senders = 4, each = 20_000;
        var queue = new LeanMailbox.MessageQueue();
        var sending = Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < each; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope((s, i), ActorRefs.NoSender));
        })).ToArray();

        var next = new int[senders];
        var received = 0;
        var reading = Task.Run(() =>
        {
            while (received < senders * each)
            {
                if (!queue.TryDequeue(out var envelope)) continue;
                var (sender, index) = ((int, int))envelope.Message;
                Assert.Equal(next[sender]++, index);
                received++;
            }
        });
        await Task.WhenAll([.. sending, reading]).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(senders * each, received);
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public async Task Check_actors_get_it_and_an_actor_on_it_receives_in_order()
    {
        var props = CheckActor.Props(ActorTestChecks.Check(), new ControllableProbe(), TestActor, Tick, Clock.Now + Tick);
        Assert.Equal(LeanMailbox.ConfigPath, props.Mailbox);

        var echo = Sys.ActorOf(Props.Create(() => new Echo()).WithMailbox(LeanMailbox.ConfigPath));
        for (var i = 0; i < 100; i++) echo.Tell(i);
        for (var i = 0; i < 100; i++) Assert.Equal(i, await ExpectMsgAsync<int>());
        var cell = Assert.IsType<ActorCell>(((ActorRefWithCell)echo).Underlying); // started once it has answered
        Assert.IsType<LeanMailbox.MessageQueue>(cell.Mailbox!.MessageQueue);
    }

    [Fact]
    public void An_actor_system_without_its_declaration_refuses_a_check_actor()
    {
        using var bare = ActorSystem.Create("bare", ConfigurationFactory.Empty);
        var props = CheckActor.Props(ActorTestChecks.Check(), new ControllableProbe(), ActorRefs.Nobody, Tick, Clock.Now + Tick);
        Assert.ThrowsAny<ConfigurationException>(() => bare.ActorOf(props));
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }
}
