using System.Globalization;
using Npgsql;

namespace Picomon.State.Postgres;

/// <summary>The cluster's tables in PostgreSQL and their migrations, applied by the first node to connect (under an
/// advisory lock, so three nodes starting at once do not race), and the small SQL helpers the store shares.
/// Timestamps are ISO-8601 text with their offset, as in SQLite, so a time reads back exactly as written.</summary>
internal static class PostgresSchema
{
    public const int Version = 4;

    /// <summary>Any number, the same on every node: the key of the advisory lock held while migrating.</summary>
    private const long MigrationLock = 0x7069636f6d6f6e;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE partitions (
            partition integer PRIMARY KEY,
            epoch bigint NOT NULL,
            owner text,
            heartbeat_at timestamptz
        );
        CREATE TABLE checks (
            id text PRIMARY KEY,
            partition integer NOT NULL,
            status text NOT NULL,
            since text NOT NULL,
            consecutive_failures integer NOT NULL,
            last_message text NOT NULL,
            error_since text,
            open_problem_message_id text,
            incidents integer NOT NULL
        );
        CREATE INDEX checks_by_partition ON checks (partition);
        CREATE TABLE outbox (
            seq bigserial PRIMARY KEY,
            state text NOT NULL CHECK (state IN ('queued', 'sent', 'dead')),
            message_id text NOT NULL,
            sender text NOT NULL,
            recipients text[] NOT NULL,
            subject text NOT NULL,
            body text NOT NULL,
            in_reply_to text,
            date text NOT NULL,
            kind text NOT NULL,
            check_id text,
            incident text,
            reason text,
            changed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX outbox_by_state ON outbox (state, seq);
        """,
        // Notifications, as in SQLite's schema 3: each mail channel's outbox in the one table, the webhook and exec
        // outboxes, notifications waiting for the notifier, the message that announced each open incident on each
        // channel (the open Problem mail's Message-ID moves there), the next reminder of each open incident.
        """
        ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'email';
        ALTER TABLE outbox ADD COLUMN refs text;
        CREATE INDEX outbox_by_channel ON outbox (channel, state, seq);
        CREATE TABLE deliveries (
            seq bigserial PRIMARY KEY,
            channel text NOT NULL,
            state text NOT NULL CHECK (state IN ('queued', 'dead')),
            id text NOT NULL,
            kind text NOT NULL,
            summary text NOT NULL,
            body text NOT NULL,
            content_type text NOT NULL,
            environment text NOT NULL,
            date text NOT NULL,
            reason text
        );
        CREATE INDEX deliveries_by_channel ON deliveries (channel, state, seq);
        CREATE TABLE pending (seq bigserial PRIMARY KEY, notification text NOT NULL);
        CREATE TABLE threads (
            channel text NOT NULL,
            incident text NOT NULL,
            check_id text NOT NULL,
            message_id text NOT NULL,
            PRIMARY KEY (channel, incident)
        );
        CREATE TABLE reminders (incident text PRIMARY KEY, check_id text NOT NULL, due text NOT NULL);
        INSERT INTO threads (channel, incident, check_id, message_id)
            SELECT 'email', id || '#' || incidents, id, open_problem_message_id FROM checks
            WHERE status = 'Error' AND open_problem_message_id IS NOT NULL;
        ALTER TABLE checks DROP COLUMN open_problem_message_id;
        """,
        // Alert quality, as in SQLite's schemas 4 and 5: the operator's silences (patterns as a JSON list) and
        // acknowledgements, shared by every node; a check in error whose Problem was held remembers it.
        """
        CREATE TABLE silences (
            id text PRIMARY KEY,
            patterns text NOT NULL,
            created text NOT NULL,
            ends text NOT NULL,
            comment text NOT NULL
        );
        CREATE TABLE acks (
            incident text PRIMARY KEY,
            check_id text NOT NULL,
            at text NOT NULL,
            comment text NOT NULL
        );
        ALTER TABLE checks ADD COLUMN held_problem boolean NOT NULL DEFAULT false;
        """,
        // Flapping: each check's flap history and the OK owed by a notified incident that recovered while flapping, as in
        // the SQLite schema 6.
        """
        ALTER TABLE checks ADD COLUMN flap_bits bigint NOT NULL DEFAULT 0;
        ALTER TABLE checks ADD COLUMN flap_last_failed boolean NOT NULL DEFAULT false;
        ALTER TABLE checks ADD COLUMN flapping boolean NOT NULL DEFAULT false;
        ALTER TABLE checks ADD COLUMN ok_held boolean NOT NULL DEFAULT false;
        UPDATE checks SET flap_last_failed = true WHERE status <> 'Ok';
        """,
    ];

    /// <summary>Brings the schema to <see cref="Version"/>; refuses a database written by a newer Picomon.</summary>
    public static void Migrate(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS picomon_schema (version integer NOT NULL)");
        var version = Convert.ToInt32(Scalar(connection, transaction, "SELECT coalesce(max(version), 0) FROM picomon_schema"),
            CultureInfo.InvariantCulture);
        if (version > Version)
            throw new InvalidDataException($"written by a newer Picomon (schema version {version}, this one knows {Version})");
        for (var step = version; step < Version; step++) Execute(connection, transaction, Migrations[step]);
        if (version < Version)
        {
            Execute(connection, transaction, "DELETE FROM picomon_schema");
            Execute(connection, transaction, $"INSERT INTO picomon_schema VALUES ({Version})");
        }
        transaction.Commit();
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>True when the fence's epoch is still the partition's, and the row is locked against a take (FOR KEY
    /// SHARE: a take locks FOR UPDATE, a heartbeat does not conflict) until the transaction ends.</summary>
    public static bool HoldsFence(NpgsqlConnection connection, NpgsqlTransaction transaction, Fence fence) =>
        Scalar(connection, transaction, "SELECT epoch FROM partitions WHERE partition = @p FOR KEY SHARE",
            ("p", fence.Partition)) is long epoch && epoch == fence.Epoch;

    public static string Time(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    public static DateTimeOffset ReadTime(NpgsqlDataReader row, int column) =>
        DateTimeOffset.ParseExact(row.GetString(column), "o", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static DateTimeOffset? ReadOptionalTime(NpgsqlDataReader row, int column) =>
        row.IsDBNull(column) ? null : ReadTime(row, column);

    public static string? ReadOptionalText(NpgsqlDataReader row, int column) =>
        row.IsDBNull(column) ? null : row.GetString(column);

    public static T ReadEnum<T>(NpgsqlDataReader row, int column) where T : struct, Enum =>
        Enum.TryParse<T>(row.GetString(column), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"unknown {typeof(T).Name} '{row.GetString(column)}'");
}
