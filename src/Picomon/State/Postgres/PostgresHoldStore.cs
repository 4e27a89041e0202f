using System.Text.Json;
using Npgsql;
using Picomon.Checks;

namespace Picomon.State.Postgres;

/// <summary>The cluster's silences and acknowledgements (tables <c>silences</c> and <c>acks</c>, shared by every
/// partition, the notifier and the nodes' control sockets): through a partition's store, a write runs in its fenced
/// transaction, so a holder taken over writes nothing; a read sees what any node wrote.</summary>
internal sealed class PostgresHoldStore(IPostgresAccess store) : IHoldStore
{
    public IReadOnlyList<Silence> LoadSilences() => store.Read(connection =>
    {
        using var command = PostgresSchema.Command(connection, null,
            "SELECT id, patterns, created, ends, comment FROM silences ORDER BY created, id");
        using var row = command.ExecuteReader();
        var silences = new List<Silence>();
        while (row.Read())
            silences.Add(new Silence(row.GetString(0), JsonSerializer.Deserialize<string[]>(row.GetString(1))
                ?? throw new InvalidDataException("silence without patterns"),
                PostgresSchema.ReadTime(row, 2), PostgresSchema.ReadTime(row, 3), row.GetString(4)));
        return silences;
    }, []);

    public void AddSilence(Silence silence) => store.Write(null, (connection, transaction) => PostgresSchema.Execute(connection, transaction,
        """
        INSERT INTO silences (id, patterns, created, ends, comment) VALUES (@id, @patterns, @created, @ends, @comment)
        ON CONFLICT (id) DO UPDATE SET patterns = excluded.patterns, created = excluded.created, ends = excluded.ends,
            comment = excluded.comment
        """,
        ("id", silence.Id), ("patterns", JsonSerializer.Serialize(silence.Patterns.ToArray())),
        ("created", PostgresSchema.Time(silence.Created)), ("ends", PostgresSchema.Time(silence.Ends)), ("comment", silence.Comment)), 0);

    public bool RemoveSilence(string id) =>
        store.Write(null, (connection, transaction) =>
            PostgresSchema.Execute(connection, transaction, "DELETE FROM silences WHERE id = @id", ("id", id)), 0) > 0;

    public IReadOnlyList<Acknowledgement> LoadAcks() => store.Read(connection =>
    {
        using var command = PostgresSchema.Command(connection, null, "SELECT incident, check_id, at, comment FROM acks ORDER BY incident");
        using var row = command.ExecuteReader();
        var acks = new List<Acknowledgement>();
        while (row.Read())
            acks.Add(new Acknowledgement(row.GetString(0), row.GetString(1), PostgresSchema.ReadTime(row, 2), row.GetString(3)));
        return acks;
    }, []);

    public void AddAck(Acknowledgement ack) => store.Write(null, (connection, transaction) => PostgresSchema.Execute(connection, transaction,
        """
        INSERT INTO acks (incident, check_id, at, comment) VALUES (@incident, @check, @at, @comment)
        ON CONFLICT (incident) DO UPDATE SET check_id = excluded.check_id, at = excluded.at, comment = excluded.comment
        """,
        ("incident", ack.Incident), ("check", ack.CheckId), ("at", PostgresSchema.Time(ack.At)), ("comment", ack.Comment)), 0);

    public void RemoveAck(string incident) => store.Write(null, (connection, transaction) =>
        PostgresSchema.Execute(connection, transaction, "DELETE FROM acks WHERE incident = @incident", ("incident", incident)), 0);
}
