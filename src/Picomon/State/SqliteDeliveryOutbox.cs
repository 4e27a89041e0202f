using System.Text.Json;
using Microsoft.Data.Sqlite;
using Picomon.Notifications;

namespace Picomon.State;

/// <summary>One webhook or exec channel's outbox in the state database (table <c>deliveries</c>): every message
/// is stored, in order, until its receiver accepts it (then deleted), or refuses it for good (then kept as a dead
/// letter with the reason). A restart sends every queued message once; a crash between the receiver's acceptance
/// and <see cref="MarkSent"/> sends that one again. Reads come from memory; writes go through the
/// <see cref="SqliteStateStore"/>, which adds messages together with the notification state they come from.</summary>
public sealed class SqliteDeliveryOutbox : IDeliveryOutbox
{
    private const string Columns = "seq, id, kind, summary, body, content_type, environment, date, reason";

    private readonly SqliteStateStore _store;
    private readonly string _channel;
    private readonly OrderedQueue<Delivery> _queue = new(d => d.Id);

    internal SqliteDeliveryOutbox(SqliteStateStore store, string channel) => (_store, _channel) = (store, channel);

    public int Count
    {
        get { lock (_store.Gate) return _queue.Count; }
    }

    public IReadOnlyList<RejectedDelivery> DeadLetters
    {
        get { lock (_store.Gate) return _queue.Dead.Select(d => new RejectedDelivery(d.Item, d.Reason)).ToList(); }
    }

    public Delivery? Peek()
    {
        lock (_store.Gate) return _queue.First;
    }

    public void MarkSent(Delivery delivery)
    {
        lock (_store.Gate)
        {
            if (_queue.Remove(delivery) is not { } seq) return;
            _store.Persist(transaction => StateSchema.Execute(transaction, "DELETE FROM deliveries WHERE seq = $seq", ("$seq", seq)));
        }
    }

    public void DeadLetter(Delivery delivery, string reason)
    {
        lock (_store.Gate)
        {
            var seq = _queue.Remove(delivery) ?? _store.NextDeliverySeq();
            _queue.AddDead(seq, delivery, reason);
            _store.Persist(transaction => Insert(transaction, seq, "dead", delivery, reason), durable: true);
        }
    }

    /// <summary>Puts a delivery at the end of the line in memory and returns its place; the caller holds the store's
    /// lock and writes it (<see cref="InsertQueued"/>) in its own transaction.</summary>
    internal long Add(Delivery delivery)
    {
        var seq = _store.NextDeliverySeq();
        _queue.Add(seq, delivery);
        return seq;
    }

    internal void InsertQueued(SqliteTransaction transaction, long seq, Delivery delivery) =>
        Insert(transaction, seq, "queued", delivery, reason: null);

    internal static void LoadAll(SqliteConnection connection, Func<string, SqliteDeliveryOutbox> outbox) =>
        StateSchema.ForEachRow(connection, $"SELECT state, channel, {Columns} FROM deliveries ORDER BY seq", row =>
        {
            var (delivery, queue) = (Read(row), outbox(row.GetString(1))._queue);
            if (row.GetString(0) == "queued") queue.Add(row.GetInt64(2), delivery);
            else queue.AddDead(row.GetInt64(2), delivery, StateSchema.ReadOptionalText(row, 10) ?? "");
        });

    internal void RewriteAll(SqliteTransaction transaction)
    {
        StateSchema.Execute(transaction, "DELETE FROM deliveries WHERE channel = $channel", ("$channel", _channel));
        foreach (var (seq, delivery) in _queue.Queued) InsertQueued(transaction, seq, delivery);
        foreach (var (seq, delivery, reason) in _queue.Dead) Insert(transaction, seq, "dead", delivery, reason);
    }

    private void Insert(SqliteTransaction transaction, long seq, string state, Delivery delivery, string? reason) =>
        StateSchema.Execute(transaction,
            $"""
            INSERT OR REPLACE INTO deliveries ({Columns}, channel, state)
            VALUES ($seq, $id, $kind, $summary, $body, $contentType, $environment, $date, $reason, $channel, $state)
            """,
            ("$seq", seq), ("$id", delivery.Id), ("$kind", delivery.Kind), ("$summary", delivery.Summary), ("$body", delivery.Body),
            ("$contentType", delivery.ContentType), ("$environment", JsonSerializer.Serialize(delivery.Environment)),
            ("$date", StateSchema.Time(delivery.Date)), ("$reason", reason), ("$channel", _channel), ("$state", state));

    // Columns from the third on: seq, id, …, as in Columns.
    private static Delivery Read(SqliteDataReader row) =>
        new(row.GetString(3), row.GetString(4), row.GetString(5), row.GetString(6), row.GetString(7),
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString(8)) ?? throw new InvalidDataException("environment is null"),
            StateSchema.ReadTime(row, 9));
}
