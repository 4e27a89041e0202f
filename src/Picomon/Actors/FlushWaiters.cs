using Akka.Actor;

namespace Picomon.Actors;

/// <summary>Who waits for a sender's queue to empty (its <c>Flush</c>, at shutdown), each until a deadline of their
/// own: the bookkeeping the <see cref="Mailer"/> and each <see cref="ChannelSender"/> share. The sender keeps its own
/// message types; <paramref name="flushed"/> builds its answer from the number of messages still unsent. The
/// owner's alone (not thread-safe).</summary>
internal sealed class FlushWaiters(Func<int, object> flushed)
{
    /// <summary>Self-message of the owner: the waiter <see cref="Id"/>'s deadline passed.</summary>
    public sealed record Deadline(int Id) : INoSerializationVerificationNeeded;

    private readonly Dictionary<int, IActorRef> _waiting = [];
    private int _next;

    /// <summary><paramref name="who"/> waits at most <paramref name="within"/> for the queue to empty.</summary>
    public void Wait(IActorRef who, TimeSpan within, ITimerScheduler timers)
    {
        var id = _next++;
        _waiting[id] = who;
        timers.StartSingleTimer(TimerKey(id), new Deadline(id), within);
    }

    /// <summary>A deadline passed: its waiter is told how many are still <paramref name="unsent"/>.</summary>
    public void Expired(Deadline deadline, int unsent)
    {
        if (_waiting.Remove(deadline.Id, out var who)) who.Tell(flushed(unsent));
    }

    /// <summary>The queue is empty: every waiter is told so, and their deadlines are cancelled.</summary>
    public void Emptied(ITimerScheduler timers)
    {
        foreach (var (id, who) in _waiting)
        {
            timers.Cancel(TimerKey(id));
            who.Tell(flushed(0));
        }
        _waiting.Clear();
    }

    private static string TimerKey(int id) => $"flush-{id}";
}
