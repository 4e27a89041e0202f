using System.Text.Json;
using Microsoft.Data.Sqlite;
using Picomon.Mail;

namespace Picomon.State;

/// <summary>One mail channel's outbox kept in the state database: every mail is stored, in the order
/// it was queued, until the server accepts it, so a restart — graceful or kill -9 — sends every queued mail once
/// (twice only if the process died between the server's acceptance and <see cref="MarkSent"/>). Refused mails
/// stay as dead letters with their reason. Sent mails are kept as a short history: the last
/// <see cref="SentHistory"/> and none older than <see cref="SentHistoryAge"/>. Peek and Count are answered from
/// an in-memory mirror; writes go through the <see cref="SqliteStateStore"/> (one lock, never throws), which
/// also queues a transition's mails with the check's row in one transaction. The mail channels share one table
/// and one numbering, which orders each channel's mails.</summary>
public sealed class SqliteOutbox : IOutbox
{
    public const int SentHistory = 1000;
    public static readonly TimeSpan SentHistoryAge = TimeSpan.FromDays(7);

    /// <summary>Sent marks between two prunings of the history.</summary>
    private const int PruneEvery = 100;

    internal const string Columns = "seq, message_id, sender, recipients, subject, body, in_reply_to, date, kind, check_id, reason, incident, refs";

    private readonly SqliteStateStore _store;
    private readonly string _channel;
    private readonly OrderedQueue<OutgoingMail> _queue = new(m => m.MessageId);
    private int _sentSincePrune;

    internal SqliteOutbox(SqliteStateStore store, string channel) => (_store, _channel) = (store, channel);

    public int Count
    {
        get { lock (_store.Gate) return _queue.Count; }
    }

    public IReadOnlyList<RejectedMail> DeadLetters
    {
        get { lock (_store.Gate) return _queue.Dead.Select(d => new RejectedMail(d.Item, d.Reason)).ToList(); }
    }

    public void Enqueue(OutgoingMail mail)
    {
        lock (_store.Gate)
        {
            var seq = Add(mail);
            _store.Persist(transaction => InsertQueued(transaction, seq, mail), durable: true);
        }
    }

    /// <summary>Puts a mail at the end of the line in memory and returns its place; the caller holds the
    /// store's lock and writes it (<see cref="InsertQueued"/>) in its own transaction.</summary>
    internal long Add(OutgoingMail mail)
    {
        var seq = _store.NextMailSeq();
        _queue.Add(seq, mail);
        return seq;
    }

    internal void InsertQueued(SqliteTransaction transaction, long seq, OutgoingMail mail) =>
        Insert(transaction, seq, "queued", mail, reason: null);

    public OutgoingMail? Peek()
    {
        lock (_store.Gate) return _queue.First;
    }

    public void MarkSent(OutgoingMail mail)
    {
        lock (_store.Gate)
        {
            if (_queue.Remove(mail) is not { } seq) return;
            var prune = ++_sentSincePrune >= PruneEvery;
            if (prune) _sentSincePrune = 0;
            _store.Persist(transaction =>
            {
                StateSchema.Execute(transaction, "UPDATE outbox SET state = 'sent', changed_ms = $now WHERE seq = $seq",
                    ("$now", Now()), ("$seq", seq));
                if (prune) PruneSent(transaction, Now());
            });
        }
    }

    public void DeadLetter(OutgoingMail mail, string reason)
    {
        lock (_store.Gate)
        {
            var seq = _queue.Remove(mail) ?? _store.NextMailSeq();
            _queue.AddDead(seq, mail, reason);
            _store.Persist(transaction => Insert(transaction, seq, "dead", mail, reason), durable: true);
        }
    }

    /// <summary>Reads every mail of every channel not sent yet into its outbox, and prunes the history.</summary>
    internal static void LoadAll(SqliteConnection connection, Func<string, SqliteOutbox> outbox, long now)
    {
        StateSchema.ForEachRow(connection, $"SELECT state, channel, {Columns} FROM outbox WHERE state <> 'sent' ORDER BY seq", row =>
        {
            var (mail, queue) = (ReadMail(row), outbox(row.GetString(1))._queue);
            if (row.GetString(0) == "queued") queue.Add(row.GetInt64(2), mail);
            else queue.AddDead(row.GetInt64(2), mail, StateSchema.ReadOptionalText(row, 12) ?? "");
        });
        using var transaction = connection.BeginTransaction();
        PruneSent(transaction, now);
        transaction.Commit();
    }

    /// <summary>Writes the queue and the dead letters from memory again (recovery after a failed write).</summary>
    internal void RewriteAll(SqliteTransaction transaction)
    {
        StateSchema.Execute(transaction, "DELETE FROM outbox WHERE state <> 'sent' AND channel = $channel", ("$channel", _channel));
        foreach (var (seq, mail) in _queue.Queued) InsertQueued(transaction, seq, mail);
        foreach (var (seq, mail, reason) in _queue.Dead) Insert(transaction, seq, "dead", mail, reason);
    }

    private long Now() => _store.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static void PruneSent(SqliteTransaction transaction, long now) =>
        StateSchema.Execute(transaction,
            """
            DELETE FROM outbox WHERE state = 'sent' AND (changed_ms < $cutoff OR seq NOT IN
                (SELECT seq FROM outbox WHERE state = 'sent' ORDER BY seq DESC LIMIT $keep))
            """,
            ("$cutoff", now - (long)SentHistoryAge.TotalMilliseconds), ("$keep", SentHistory));

    private void Insert(SqliteTransaction transaction, long seq, string state, OutgoingMail mail, string? reason) =>
        StateSchema.Execute(transaction,
            $"""
            INSERT OR REPLACE INTO outbox ({Columns}, channel, state, changed_ms)
            VALUES ($seq, $id, $from, $to, $subject, $body, $inReplyTo, $date, $kind, $check, $reason, $incident, $refs,
                    $channel, $state, $now)
            """,
            ("$seq", seq), ("$id", mail.MessageId), ("$from", mail.From), ("$to", JsonSerializer.Serialize(mail.To)),
            ("$subject", mail.Subject), ("$body", mail.Body), ("$inReplyTo", mail.InReplyTo),
            ("$date", StateSchema.Time(mail.Date)), ("$kind", mail.Kind.ToString()), ("$check", mail.CheckId),
            ("$reason", reason), ("$incident", mail.Incident), ("$refs", mail.References), ("$channel", _channel),
            ("$state", state), ("$now", Now()));

    // Columns from the third on: seq, message_id, …, as in Columns.
    private static OutgoingMail ReadMail(SqliteDataReader row) =>
        new(row.GetString(3), row.GetString(4),
            JsonSerializer.Deserialize<string[]>(row.GetString(5)) ?? throw new InvalidDataException("recipients are null"),
            row.GetString(6), row.GetString(7), StateSchema.ReadOptionalText(row, 8), StateSchema.ReadTime(row, 9),
            StateSchema.ReadEnum<MailKind>(row, 10), StateSchema.ReadOptionalText(row, 11), StateSchema.ReadOptionalText(row, 13),
            StateSchema.ReadOptionalText(row, 14));
}
