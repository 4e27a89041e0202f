using System.Text.Json;
using Microsoft.Data.Sqlite;
using Picomon.Checks;

namespace Picomon.State;

/// <summary>Silences and acknowledgements in <c>picomon.db</c> (tables <c>silences</c> and <c>acks</c>), under the
/// store's lock and write-failure handling: memory first, then one durable transaction, rewritten whole when the
/// database comes back after a failure.</summary>
internal sealed class SqliteHoldStore : IHoldStore
{
    private readonly SqliteStateStore _store;
    private readonly MemoryHoldStore _memory = new();

    public SqliteHoldStore(SqliteStateStore store, SqliteConnection connection)
    {
        _store = store;
        StateSchema.ForEachRow(connection, "SELECT id, patterns, created, ends, comment FROM silences", row =>
            _memory.AddSilence(new Silence(row.GetString(0), JsonSerializer.Deserialize<string[]>(row.GetString(1))
                ?? throw new InvalidDataException("silence without patterns"),
                StateSchema.ReadTime(row, 2), StateSchema.ReadTime(row, 3), row.GetString(4))));
        StateSchema.ForEachRow(connection, "SELECT incident, check_id, at, comment FROM acks", row =>
            _memory.AddAck(new Acknowledgement(row.GetString(0), row.GetString(1), StateSchema.ReadTime(row, 2), row.GetString(3))));
    }

    public IReadOnlyList<Silence> LoadSilences() => _memory.LoadSilences();

    public IReadOnlyList<Acknowledgement> LoadAcks() => _memory.LoadAcks();

    public void AddSilence(Silence silence)
    {
        lock (_store.Gate)
        {
            _memory.AddSilence(silence);
            _store.Persist(transaction => Insert(transaction, silence), durable: true);
        }
    }

    public bool RemoveSilence(string id)
    {
        lock (_store.Gate)
        {
            if (!_memory.RemoveSilence(id)) return false;
            _store.Persist(transaction => StateSchema.Execute(transaction, "DELETE FROM silences WHERE id = $id", ("$id", id)), durable: true);
            return true;
        }
    }

    public void AddAck(Acknowledgement ack)
    {
        lock (_store.Gate)
        {
            _memory.AddAck(ack);
            _store.Persist(transaction => Insert(transaction, ack), durable: true);
        }
    }

    public void RemoveAck(string incident)
    {
        lock (_store.Gate)
        {
            _memory.RemoveAck(incident);
            _store.Persist(transaction =>
                StateSchema.Execute(transaction, "DELETE FROM acks WHERE incident = $incident", ("$incident", incident)));
        }
    }

    /// <summary>Writes everything held in memory again (after a write failure); the caller holds the store's lock.</summary>
    public void RewriteAll(SqliteTransaction transaction)
    {
        StateSchema.Execute(transaction, "DELETE FROM silences");
        StateSchema.Execute(transaction, "DELETE FROM acks");
        foreach (var silence in _memory.LoadSilences()) Insert(transaction, silence);
        foreach (var ack in _memory.LoadAcks()) Insert(transaction, ack);
    }

    private static void Insert(SqliteTransaction transaction, Silence silence) =>
        StateSchema.Execute(transaction,
            "INSERT OR REPLACE INTO silences (id, patterns, created, ends, comment) VALUES ($id, $patterns, $created, $ends, $comment)",
            ("$id", silence.Id), ("$patterns", JsonSerializer.Serialize(silence.Patterns.ToArray())),
            ("$created", StateSchema.Time(silence.Created)), ("$ends", StateSchema.Time(silence.Ends)), ("$comment", silence.Comment));

    private static void Insert(SqliteTransaction transaction, Acknowledgement ack) =>
        StateSchema.Execute(transaction,
            "INSERT OR REPLACE INTO acks (incident, check_id, at, comment) VALUES ($incident, $check, $at, $comment)",
            ("$incident", ack.Incident), ("$check", ack.CheckId), ("$at", StateSchema.Time(ack.At)), ("$comment", ack.Comment));
}
