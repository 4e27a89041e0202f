namespace Picomon.Mail;

/// <summary>A mail the server refused for good (5xx for the message or its recipients), and why.</summary>
public sealed record RejectedMail(OutgoingMail Mail, string Reason);

/// <summary>The Mailer's ordered queue of mails not yet accepted by the server, plus the mails refused
/// for good. Only the Mailer actor touches it, one call at a time, so implementations need no locking.
/// A durable implementation keeps both lists across restarts (SPEC §8).</summary>
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

/// <summary>The in-memory outbox: what is queued is lost when the process ends.</summary>
public sealed class MemoryOutbox : IOutbox
{
    private readonly LinkedList<OutgoingMail> _queue = new();
    private readonly List<RejectedMail> _deadLetters = [];

    public int Count => _queue.Count;

    public IReadOnlyList<RejectedMail> DeadLetters => _deadLetters;

    public void Enqueue(OutgoingMail mail) => _queue.AddLast(mail);

    public OutgoingMail? Peek() => _queue.First?.Value;

    public void MarkSent(OutgoingMail mail) => Remove(mail);

    public void DeadLetter(OutgoingMail mail, string reason)
    {
        Remove(mail);
        _deadLetters.Add(new RejectedMail(mail, reason));
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
