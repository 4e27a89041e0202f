using Npgsql;
using Picomon.Mail;

namespace Picomon.State.Postgres;

/// <summary>One mail channel's outbox in the cluster's PostgreSQL (the mail channels share one table and one numbering,
/// which orders each channel's mails): the notifier's commits queue alert mails there, the notifier's mailers send
/// from it. Unlike the SQLite outbox it keeps no mirror in memory: several nodes write the table, so each call asks the
/// database, under the store's fence. <see cref="Peek"/> is the mailer's claim before a send: once the fence is lost it
/// finds nothing, so a notifier that was taken over sends nothing more (a send already under way when it was taken
/// over may be repeated by the next one, with the same Message-ID). Sent mails are kept as a short history, as in
/// SQLite. Never throws: when the database fails, the failure is logged by the store and the outbox looks empty until
/// it works again.</summary>
public sealed class PostgresOutbox : IOutbox
{
    private const string Columns = "message_id, sender, recipients, subject, body, in_reply_to, date, kind, check_id, incident, refs";

    private readonly PostgresStateStore _store;
    private readonly string _channel;
    private int _sentSincePrune;

    internal PostgresOutbox(PostgresStateStore store, string channel) => (_store, _channel) = (store, channel);

    public int Count => _store.Read(connection => Convert.ToInt32(PostgresSchema.Scalar(connection, null,
        "SELECT count(*) FROM outbox WHERE channel = @c AND state = 'queued'", ("c", _channel))), 0);

    public IReadOnlyList<RejectedMail> DeadLetters => _store.Read<IReadOnlyList<RejectedMail>>(connection =>
    {
        using var command = PostgresSchema.Command(connection, null,
            $"SELECT {Columns}, reason FROM outbox WHERE channel = @c AND state = 'dead' ORDER BY seq", ("c", _channel));
        using var row = command.ExecuteReader();
        var letters = new List<RejectedMail>();
        while (row.Read()) letters.Add(new RejectedMail(ReadMail(row), PostgresSchema.ReadOptionalText(row, 11) ?? ""));
        return letters;
    }, []);

    public void Enqueue(OutgoingMail mail) =>
        _store.Write(null, (connection, transaction) => Insert(connection, transaction, _channel, mail, "queued", null), 0);

    public OutgoingMail? Peek() => _store.Read(connection =>
    {
        using var command = PostgresSchema.Command(connection, null,
            $"SELECT {Columns} FROM outbox WHERE channel = @c AND state = 'queued' ORDER BY seq LIMIT 1", ("c", _channel));
        using var row = command.ExecuteReader();
        return row.Read() ? ReadMail(row) : null;
    }, null, claim: true);

    public void MarkSent(OutgoingMail mail) => _store.Write(null, (connection, transaction) =>
    {
        var marked = PostgresSchema.Execute(connection, transaction,
            "UPDATE outbox SET state = 'sent', changed_at = now() WHERE channel = @c AND message_id = @id AND state = 'queued'",
            ("c", _channel), ("id", mail.MessageId));
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
            "UPDATE outbox SET state = 'dead', reason = @reason, changed_at = now() WHERE channel = @c AND message_id = @id AND state = 'queued'",
            ("reason", reason), ("c", _channel), ("id", mail.MessageId));
        return moved > 0 ? moved : Insert(connection, transaction, _channel, mail, "dead", reason);
    }, 0);

    internal static int Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, OutgoingMail mail, string state, string? reason) =>
        PostgresSchema.Execute(connection, transaction,
            $"""
            INSERT INTO outbox (channel, state, {Columns}, reason)
            VALUES (@channel, @state, @id, @from, @to, @subject, @body, @inReplyTo, @date, @kind, @check, @incident, @refs, @reason)
            """,
            ("channel", channel), ("state", state), ("id", mail.MessageId), ("from", mail.From), ("to", mail.To.ToArray()),
            ("subject", mail.Subject), ("body", mail.Body), ("inReplyTo", mail.InReplyTo), ("date", PostgresSchema.Time(mail.Date)),
            ("kind", mail.Kind.ToString()), ("check", mail.CheckId), ("incident", mail.Incident), ("refs", mail.References),
            ("reason", reason));

    private static OutgoingMail ReadMail(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetFieldValue<string[]>(2), row.GetString(3), row.GetString(4),
            PostgresSchema.ReadOptionalText(row, 5), PostgresSchema.ReadTime(row, 6), PostgresSchema.ReadEnum<MailKind>(row, 7),
            PostgresSchema.ReadOptionalText(row, 8), PostgresSchema.ReadOptionalText(row, 9), PostgresSchema.ReadOptionalText(row, 10));
}
