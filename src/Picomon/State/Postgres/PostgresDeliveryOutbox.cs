using System.Text.Json;
using Npgsql;
using Picomon.Notifications;

namespace Picomon.State.Postgres;

/// <summary>One webhook or exec channel's outbox in the cluster's PostgreSQL (table <c>deliveries</c>), read and
/// written under the notifier's fence as <see cref="PostgresOutbox"/> is: a delivery stays until its receiver accepts
/// it (then deleted) or refuses it for good (then kept as a dead letter with the reason); <see cref="Peek"/> finds
/// nothing once the fence is lost. Never throws.</summary>
public sealed class PostgresDeliveryOutbox : IDeliveryOutbox
{
    private const string Columns = "id, kind, summary, body, content_type, environment, date";

    private readonly PostgresStateStore _store;
    private readonly string _channel;

    internal PostgresDeliveryOutbox(PostgresStateStore store, string channel) => (_store, _channel) = (store, channel);

    public int Count => _store.Read(connection => Convert.ToInt32(PostgresSchema.Scalar(connection, null,
        "SELECT count(*) FROM deliveries WHERE channel = @c AND state = 'queued'", ("c", _channel))), 0);

    public IReadOnlyList<RejectedDelivery> DeadLetters => _store.Read<IReadOnlyList<RejectedDelivery>>(connection =>
    {
        using var command = PostgresSchema.Command(connection, null,
            $"SELECT {Columns}, reason FROM deliveries WHERE channel = @c AND state = 'dead' ORDER BY seq", ("c", _channel));
        using var row = command.ExecuteReader();
        var letters = new List<RejectedDelivery>();
        while (row.Read()) letters.Add(new RejectedDelivery(Read(row), PostgresSchema.ReadOptionalText(row, 7) ?? ""));
        return letters;
    }, []);

    public Delivery? Peek() => _store.Read(connection =>
    {
        using var command = PostgresSchema.Command(connection, null,
            $"SELECT {Columns} FROM deliveries WHERE channel = @c AND state = 'queued' ORDER BY seq LIMIT 1", ("c", _channel));
        using var row = command.ExecuteReader();
        return row.Read() ? Read(row) : null;
    }, null, claim: true);

    public void MarkSent(Delivery delivery) => _store.Write(null, (connection, transaction) => PostgresSchema.Execute(connection, transaction,
        "DELETE FROM deliveries WHERE channel = @c AND id = @id AND state = 'queued'", ("c", _channel), ("id", delivery.Id)), 0);

    public void DeadLetter(Delivery delivery, string reason) => _store.Write(null, (connection, transaction) =>
    {
        var moved = PostgresSchema.Execute(connection, transaction,
            "UPDATE deliveries SET state = 'dead', reason = @reason WHERE channel = @c AND id = @id AND state = 'queued'",
            ("reason", reason), ("c", _channel), ("id", delivery.Id));
        return moved > 0 ? moved : Insert(connection, transaction, _channel, delivery, "dead", reason);
    }, 0);

    internal static int Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, Delivery delivery, string state, string? reason) =>
        PostgresSchema.Execute(connection, transaction,
            $"""
            INSERT INTO deliveries (channel, state, {Columns}, reason)
            VALUES (@channel, @state, @id, @kind, @summary, @body, @contentType, @environment, @date, @reason)
            """,
            ("channel", channel), ("state", state), ("id", delivery.Id), ("kind", delivery.Kind), ("summary", delivery.Summary),
            ("body", delivery.Body), ("contentType", delivery.ContentType), ("environment", JsonSerializer.Serialize(delivery.Environment)),
            ("date", PostgresSchema.Time(delivery.Date)), ("reason", reason));

    private static Delivery Read(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4),
            JsonSerializer.Deserialize<Dictionary<string, string>>(row.GetString(5)) ?? throw new InvalidDataException("environment is null"),
            PostgresSchema.ReadTime(row, 6));
}
