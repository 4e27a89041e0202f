namespace Picomon.Mail;

/// <summary>A mail the server refused for good (5xx for the message or its recipients), and why.</summary>
public sealed record RejectedMail(OutgoingMail Mail, string Reason);

/// <summary>The ordered queue of mails not yet accepted by the server, plus the mails refused for good. The
/// Mailer reads it and marks what it sent; mails are added by the Mailer (reports, the stop mail) and by the
/// state store, with the check state they come from (Problem and OK mails), on the aggregator's thread: so
/// implementations are thread-safe. A durable implementation keeps both lists across restarts (README "Behaviour worth knowing", Durable state).</summary>
public interface IOutbox
{
    int Count { get; }

    IReadOnlyList<RejectedMail> DeadLetters { get; }

    /// <summary>Adds a mail at the end of the line.</summary>
    void Enqueue(OutgoingMail mail);

    /// <summary>The first mail in line, or null when the outbox is empty.</summary>
    OutgoingMail? Peek();

    /// <summary>Removes a mail the server accepted.</summary>
    void MarkSent(OutgoingMail mail);

    /// <summary>Moves a mail the server refused for good to <see cref="DeadLetters"/>.</summary>
    void DeadLetter(OutgoingMail mail, string reason);
}

/// <summary>The in-memory outbox: what is queued is lost when the process ends. One lock.</summary>
public sealed class MemoryOutbox : IOutbox
{
    private readonly LinkedList<OutgoingMail> _queue = new();
    private readonly List<RejectedMail> _deadLetters = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _queue.Count; }
    }

    public IReadOnlyList<RejectedMail> DeadLetters
    {
        get { lock (_gate) return [.. _deadLetters]; }
    }

    public void Enqueue(OutgoingMail mail)
    {
        lock (_gate) _queue.AddLast(mail);
    }

    public OutgoingMail? Peek()
    {
        lock (_gate) return _queue.First?.Value;
    }

    public void MarkSent(OutgoingMail mail)
    {
        lock (_gate) Remove(mail);
    }

    public void DeadLetter(OutgoingMail mail, string reason)
    {
        lock (_gate)
        {
            Remove(mail);
            _deadLetters.Add(new RejectedMail(mail, reason));
        }
    }

    private void Remove(OutgoingMail mail)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
            if (node.Value.MessageId == mail.MessageId)
            {
                _queue.Remove(node);
                return;
            }
    }
}
