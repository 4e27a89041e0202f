using Npgsql;
using Picomon.Mail;

namespace Picomon.State.Postgres;

/// <summary>The cluster's one mail outbox, in PostgreSQL: every partition queues its alert mails there (with the
/// check rows they come from, in one transaction), and the notifier sends from it. Unlike the SQLite outbox it keeps
/// no mirror in memory: several nodes write it, so each call asks the database, under the store's fence. <see
/// cref="Peek"/> is the notifier's claim before a send: once the fence is lost it finds nothing, so a notifier that
/// was taken over sends nothing more (a send already under way when it was taken over may be repeated by the next
/// one, with the same Message-ID). Sent mails are kept as a short history, as in SQLite. Never throws: when the
/// database fails, the failure is logged by the store and the outbox looks empty until it works again.</summary>
public sealed class PostgresOutbox : IOutbox
{
    private const string Columns = "message_id, sender, recipients, subject, body, in_reply_to, date, kind, check_id, incident";

    private readonly PostgresStateStore _store;
    private int _sentSincePrune;

    internal PostgresOutbox(PostgresStateStore store) => _store = store;

    public int Count => _store.Read(connection =>
        Convert.ToInt32(PostgresSchema.Scalar(connection, null, "SELECT count(*) FROM outbox WHERE state = 'queued'")), 0);

    public IReadOnlyList<RejectedMail> DeadLetters => _store.Read<IReadOnlyList<RejectedMail>>(connection =>
    {
        using var command = PostgresSchema.Command(connection, null, $"SELECT {Columns}, reason FROM outbox WHERE state = 'dead' ORDER BY seq");
        using var row = command.ExecuteReader();
        var letters = new List<RejectedMail>();
        while (row.Read()) letters.Add(new RejectedMail(ReadMail(row), PostgresSchema.ReadOptionalText(row, 10) ?? ""));
        return letters;
    }, []);

    public void Enqueue(OutgoingMail mail) =>
        _store.Write(null, (connection, transaction) => Insert(connection, transaction, mail, "queued", null), 0);

    public OutgoingMail? Peek() => _store.Write(null, (connection, transaction) =>
    {
        using var command = PostgresSchema.Command(connection, transaction,
            $"SELECT {Columns} FROM outbox WHERE state = 'queued' ORDER BY seq LIMIT 1");
        using var row = command.ExecuteReader();
        return row.Read() ? ReadMail(row) : null;
    }, null);

    public void MarkSent(OutgoingMail mail) => _store.Write(null, (connection, transaction) =>
    {
        var marked = PostgresSchema.Execute(connection, transaction,
            "UPDATE outbox SET state = 'sent', changed_at = now() WHERE message_id = @id AND state = 'queued'", ("id", mail.MessageId));
        if (++_sentSincePrune >= 100)
        {
            _sentSincePrune = 0;
            PostgresSchema.Execute(connection, transaction,
                """
                DELETE FROM outbox WHERE state = 'sent' AND (changed_at < now() - make_interval(days => @days) OR seq NOT IN
                    (SELECT seq FROM outbox WHERE state = 'sent' ORDER BY seq DESC LIMIT @keep))
                """, ("days", (int)SqliteOutbox.SentHistoryAge.TotalDays), ("keep", SqliteOutbox.SentHistory));
        }
        return marked;
    }, 0);

    public void DeadLetter(OutgoingMail mail, string reason) => _store.Write(null, (connection, transaction) =>
    {
        var moved = PostgresSchema.Execute(connection, transaction,
            "UPDATE outbox SET state = 'dead', reason = @reason, changed_at = now() WHERE message_id = @id AND state = 'queued'",
            ("reason", reason), ("id", mail.MessageId));
        return moved > 0 ? moved : Insert(connection, transaction, mail, "dead", reason);
    }, 0);

    internal static int Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, OutgoingMail mail, string state, string? reason) =>
        PostgresSchema.Execute(connection, transaction,
            $"""
            INSERT INTO outbox (state, {Columns}, reason)
            VALUES (@state, @id, @from, @to, @subject, @body, @inReplyTo, @date, @kind, @check, @incident, @reason)
            """,
            ("state", state), ("id", mail.MessageId), ("from", mail.From), ("to", mail.To.ToArray()), ("subject", mail.Subject),
            ("body", mail.Body), ("inReplyTo", mail.InReplyTo), ("date", PostgresSchema.Time(mail.Date)), ("kind", mail.Kind.ToString()),
            ("check", mail.CheckId), ("incident", mail.Incident), ("reason", reason));

    private static OutgoingMail ReadMail(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetFieldValue<string[]>(2), row.GetString(3), row.GetString(4),
            PostgresSchema.ReadOptionalText(row, 5), PostgresSchema.ReadTime(row, 6), PostgresSchema.ReadEnum<MailKind>(row, 7),
            PostgresSchema.ReadOptionalText(row, 8), PostgresSchema.ReadOptionalText(row, 9));
}
