using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Picomon.State;

/// <summary>The tables of <c>picomon.db</c>, their migrations (the version lives in <c>PRAGMA user_version</c>),
/// and the small SQL helpers the store and the outbox share.</summary>
internal static class StateSchema
{
    public const int Version = 6;

    /// <summary>Migrations by target version: entry <c>i</c> turns schema <c>i</c> into <c>i + 1</c>.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE checks (
            id TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL,
            since TEXT NOT NULL,
            consecutive_failures INTEGER NOT NULL,
            last_message TEXT NOT NULL,
            error_since TEXT,
            open_problem_message_id TEXT
        ) WITHOUT ROWID;
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'dead')),
            message_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            recipients TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            in_reply_to TEXT,
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            check_id TEXT,
            reason TEXT,
            changed_ms INTEGER NOT NULL
        );
        CREATE INDEX outbox_by_state ON outbox (state, seq);
        """,
        // Incidents (CHECK#N): a count per check, and the incident an alert mail is about. A check already
        // in error is in its first known incident.
        """
        ALTER TABLE checks ADD COLUMN incidents INTEGER NOT NULL DEFAULT 0;
        UPDATE checks SET incidents = 1 WHERE status = 'Error';
        ALTER TABLE outbox ADD COLUMN incident TEXT;
        """,
        // Notifications: each mail channel's outbox in the one table, the Message-IDs a digest answers;
        // the webhook and exec outboxes; notifications waiting for the notifier; the message that announced each
        // open incident on each channel (the open Problem mail's Message-ID moves there); the next reminder of each
        // open incident.
        """
        ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
        ALTER TABLE outbox ADD COLUMN refs TEXT;
        CREATE INDEX outbox_by_channel ON outbox (channel, state, seq);
        CREATE TABLE deliveries (
            seq INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'dead')),
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            body TEXT NOT NULL,
            content_type TEXT NOT NULL,
            environment TEXT NOT NULL,
            date TEXT NOT NULL,
            reason TEXT
        );
        CREATE TABLE pending (seq INTEGER PRIMARY KEY, notification TEXT NOT NULL);
        CREATE TABLE threads (
            channel TEXT NOT NULL,
            incident TEXT NOT NULL,
            check_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            PRIMARY KEY (channel, incident)
        ) WITHOUT ROWID;
        CREATE TABLE reminders (incident TEXT PRIMARY KEY NOT NULL, check_id TEXT NOT NULL, due TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO threads (channel, incident, check_id, message_id)
            SELECT 'email', id || '#' || incidents, id, open_problem_message_id FROM checks
            WHERE status = 'Error' AND open_problem_message_id IS NOT NULL;
        ALTER TABLE checks DROP COLUMN open_problem_message_id;
        """,
        // Alert quality: the operator's silences (patterns as a JSON list) and acknowledgements.
        """
        CREATE TABLE silences (
            id TEXT PRIMARY KEY NOT NULL,
            patterns TEXT NOT NULL,
            created TEXT NOT NULL,
            ends TEXT NOT NULL,
            comment TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE acks (
            incident TEXT PRIMARY KEY NOT NULL,
            check_id TEXT NOT NULL,
            at TEXT NOT NULL,
            comment TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // Holds: a check in error whose Problem was held (not sent) remembers it across a restart.
        """
        ALTER TABLE checks ADD COLUMN held_problem INTEGER NOT NULL DEFAULT 0;
        """,
        // Flapping: each check's flap history (the changes of its last runs as a bit field, bit 0 the newest; its last
        // result; whether it flaps) and the OK owed by a notified incident that recovered while flapping. A check not OK
        // was failing at its last run.
        """
        ALTER TABLE checks ADD COLUMN flap_bits INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checks ADD COLUMN flap_last_failed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checks ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checks ADD COLUMN ok_held INTEGER NOT NULL DEFAULT 0;
        UPDATE checks SET flap_last_failed = 1 WHERE status <> 'Ok';
        """,
    ];

    /// <summary>Brings the schema to <see cref="Version"/>; refuses a database written by a newer Picomon.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Version)
            throw new InvalidDataException($"written by a newer Picomon (schema version {version}, this one knows {Version})");
        if (version == Version) return;
        using var transaction = connection.BeginTransaction();
        for (var step = version; step < Version; step++)
            Execute(transaction, Migrations[step]);
        Execute(transaction, $"PRAGMA user_version = {Version}");
        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public static void ForEachRow(SqliteConnection connection, string sql, Action<SqliteDataReader> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var rows = command.ExecuteReader();
        while (rows.Read()) read(rows);
    }

    /// <summary>ISO 8601 with the offset and every tick, so a timestamp reads back exactly as it was.</summary>
    public static string Time(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    public static DateTimeOffset ReadTime(SqliteDataReader row, int column) =>
        DateTimeOffset.ParseExact(row.GetString(column), "o", CultureInfo.InvariantCulture, DateTimeStyles.None);

    public static DateTimeOffset? ReadOptionalTime(SqliteDataReader row, int column) =>
        row.IsDBNull(column) ? null : ReadTime(row, column);

    public static string? ReadOptionalText(SqliteDataReader row, int column) =>
        row.IsDBNull(column) ? null : row.GetString(column);

    /// <summary>An enum stored by name; an unknown name means the file was written by something else.</summary>
    public static T ReadEnum<T>(SqliteDataReader row, int column) where T : struct, Enum =>
        Enum.TryParse<T>(row.GetString(column), ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"unknown {typeof(T).Name} '{row.GetString(column)}'");
}
