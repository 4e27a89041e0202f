using System.Text.Json;
using Microsoft.Data.Sqlite;
using Picomon.Mail;

namespace Picomon.State;

/// <summary>The outbox kept in the state database (SPEC §7–§8): every mail is stored, in the order it was
/// queued, until the server accepts it, so a restart — graceful or kill -9 — sends every queued mail once
/// (twice only if the process died between the server's acceptance and <see cref="MarkSent"/>). Refused
/// mails stay as dead letters with their reason. Sent mails are kept as a short history: the last
/// <see cref="SentHistory"/> and none older than <see cref="SentHistoryAge"/>. Peek and Count are answered
/// from an in-memory mirror; writes go through the <see cref="SqliteStateStore"/> (one lock, never throws), which
/// also queues a transition's mails with the check's row in one transaction.</summary>
public sealed class SqliteOutbox : IOutbox
{
    public const int SentHistory = 1000;
    public static readonly TimeSpan SentHistoryAge = TimeSpan.FromDays(7);

    /// <summary>Sent marks between two prunings of the history.</summary>
    private const int PruneEvery = 100;

    private const string Columns = "seq, message_id, sender, recipients, subject, body, in_reply_to, date, kind, check_id, reason, incident";

    private readonly SqliteStateStore _store;
    private readonly LinkedList<(long Seq, OutgoingMail Mail)> _queue = new();
    private readonly List<(long Seq, RejectedMail Letter)> _dead = [];
    private long _nextSeq;
    private int _sentSincePrune;

    internal SqliteOutbox(SqliteStateStore store, SqliteConnection connection)
    {
        _store = store;
        _nextSeq = Convert.ToInt64(StateSchema.Scalar(connection, "SELECT coalesce(max(seq), 0) + 1 FROM outbox"));
        StateSchema.ForEachRow(connection, $"SELECT state, {Columns} FROM outbox WHERE state <> 'sent' ORDER BY seq", row =>
        {
            var mail = ReadMail(row);
            if (row.GetString(0) == "queued") _queue.AddLast((row.GetInt64(1), mail));
            else _dead.Add((row.GetInt64(1), new RejectedMail(mail, StateSchema.ReadOptionalText(row, 11) ?? "")));
        });
        using var transaction = connection.BeginTransaction();
        PruneSent(transaction);
        transaction.Commit();
    }

    public int Count
    {
        get { lock (_store.Gate) return _queue.Count; }
    }

    public IReadOnlyList<RejectedMail> DeadLetters
    {
        get { lock (_store.Gate) return _dead.Select(d => d.Letter).ToList(); }
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
        var seq = _nextSeq++;
        _queue.AddLast((seq, mail));
        return seq;
    }

    internal void InsertQueued(SqliteTransaction transaction, long seq, OutgoingMail mail) =>
        Insert(transaction, seq, "queued", mail, reason: null);

    public OutgoingMail? Peek()
    {
        lock (_store.Gate) return _queue.First?.Value.Mail;
    }

    public void MarkSent(OutgoingMail mail)
    {
        lock (_store.Gate)
        {
            if (Dequeue(mail) is not { } seq) return;
            var prune = ++_sentSincePrune >= PruneEvery;
            if (prune) _sentSincePrune = 0;
            _store.Persist(transaction =>
            {
                StateSchema.Execute(transaction, "UPDATE outbox SET state = 'sent', changed_ms = $now WHERE seq = $seq",
                    ("$now", Now()), ("$seq", seq));
                if (prune) PruneSent(transaction);
            });
        }
    }

    public void DeadLetter(OutgoingMail mail, string reason)
    {
        lock (_store.Gate)
        {
            var seq = Dequeue(mail) ?? _nextSeq++;
            _dead.Add((seq, new RejectedMail(mail, reason)));
            _store.Persist(transaction => Insert(transaction, seq, "dead", mail, reason), durable: true);
        }
    }

    /// <summary>Writes the queue and the dead letters from memory again (recovery after a failed write).</summary>
    internal void RewriteAll(SqliteTransaction transaction)
    {
        StateSchema.Execute(transaction, "DELETE FROM outbox WHERE state <> 'sent'");
        foreach (var (seq, mail) in _queue) InsertQueued(transaction, seq, mail);
        foreach (var (seq, letter) in _dead) Insert(transaction, seq, "dead", letter.Mail, letter.Reason);
    }

    private long? Dequeue(OutgoingMail mail)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
            if (node.Value.Mail.MessageId == mail.MessageId)
            {
                _queue.Remove(node);
                return node.Value.Seq;
            }
        return null;
    }

    private long Now() => _store.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private void PruneSent(SqliteTransaction transaction) =>
        StateSchema.Execute(transaction,
            """
            DELETE FROM outbox WHERE state = 'sent' AND (changed_ms < $cutoff OR seq NOT IN
                (SELECT seq FROM outbox WHERE state = 'sent' ORDER BY seq DESC LIMIT $keep))
            """,
            ("$cutoff", Now() - (long)SentHistoryAge.TotalMilliseconds), ("$keep", SentHistory));

    private void Insert(SqliteTransaction transaction, long seq, string state, OutgoingMail mail, string? reason) =>
        StateSchema.Execute(transaction,
            $"""
            INSERT OR REPLACE INTO outbox ({Columns}, state, changed_ms)
            VALUES ($seq, $id, $from, $to, $subject, $body, $inReplyTo, $date, $kind, $check, $reason, $incident, $state, $now)
            """,
            ("$seq", seq), ("$id", mail.MessageId), ("$from", mail.From), ("$to", JsonSerializer.Serialize(mail.To)),
            ("$subject", mail.Subject), ("$body", mail.Body), ("$inReplyTo", mail.InReplyTo),
            ("$date", StateSchema.Time(mail.Date)), ("$kind", mail.Kind.ToString()), ("$check", mail.CheckId),
            ("$reason", reason), ("$incident", mail.Incident), ("$state", state), ("$now", Now()));

    private static OutgoingMail ReadMail(SqliteDataReader row) =>
        new(row.GetString(2), row.GetString(3),
            JsonSerializer.Deserialize<string[]>(row.GetString(4)) ?? throw new InvalidDataException("recipients are null"),
            row.GetString(5), row.GetString(6), StateSchema.ReadOptionalText(row, 7), StateSchema.ReadTime(row, 8),
            StateSchema.ReadEnum<MailKind>(row, 9), StateSchema.ReadOptionalText(row, 10), StateSchema.ReadOptionalText(row, 12));
}
