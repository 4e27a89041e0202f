namespace Picomon.Notifications;

/// <summary>One rendered message for a webhook or an exec channel, ready to send: plain data, so its channel's
/// outbox keeps it across restarts and a later start sends it unchanged. What may hold a secret (the URL, the
/// headers, the command's arguments) is not in it: the sender takes those from the channel's settings.</summary>
/// <param name="Id">This message's own id (<c>&lt;…@fqdn&gt;</c>, the picomon JSON's <c>messageId</c>).</param>
/// <param name="Kind">problem, ok, reminder or digest (the JSON's <c>kind</c>, the exec's <c>PICOMON_KIND</c>).</param>
/// <param name="Summary">What it is about, for log lines: <c>Problem http4/web#3</c>, <c>digest: 2 Problem, 1 OK</c>.</param>
/// <param name="Body">The request body (webhook) or the standard input (exec).</param>
/// <param name="ContentType">The body's media type (webhook).</param>
/// <param name="Environment">The <c>PICOMON_*</c> variables of an exec channel.</param>
public sealed record Delivery(
    string Id,
    string Kind,
    string Summary,
    string Body,
    string ContentType,
    IReadOnlyDictionary<string, string> Environment,
    DateTimeOffset Date);

/// <summary>A delivery its receiver refused for good (a 4xx), and why.</summary>
public sealed record RejectedDelivery(Delivery Delivery, string Reason);

/// <summary>The ordered queue of one webhook or exec channel: what is not delivered yet, first in line first, and
/// what was refused for good. Deliveries are added with the notification state they come from
/// (<see cref="State.IStateStore.Commit"/>); the channel's sender reads the first and marks it. Thread-safe.</summary>
public interface IDeliveryOutbox
{
    int Count { get; }

    IReadOnlyList<RejectedDelivery> DeadLetters { get; }

    /// <summary>The first delivery in line, or null when the queue is empty.</summary>
    Delivery? Peek();

    /// <summary>Removes a delivery its receiver accepted.</summary>
    void MarkSent(Delivery delivery);

    /// <summary>Moves a delivery its receiver refused for good to <see cref="DeadLetters"/>.</summary>
    void DeadLetter(Delivery delivery, string reason);
}
