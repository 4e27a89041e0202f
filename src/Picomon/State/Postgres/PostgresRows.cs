using Npgsql;
using Picomon.Checks;

namespace Picomon.State.Postgres;

/// <summary>The <c>checks</c> table: each check's durable state, with the partition that wrote it.</summary>
internal static class PostgresRows
{
    /// <param name="where">A WHERE clause (or nothing) over the table.</param>
    public static IReadOnlyList<StoredCheck> Read(NpgsqlConnection connection, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = PostgresSchema.Command(connection, null,
            $"SELECT id, status, since, consecutive_failures, last_message, error_since, incidents, held_problem FROM checks {where} ORDER BY id",
            parameters);
        using var row = command.ExecuteReader();
        var rows = new List<StoredCheck>();
        while (row.Read())
            rows.Add(new StoredCheck(row.GetString(0), PostgresSchema.ReadEnum<CheckStatus>(row, 1), PostgresSchema.ReadTime(row, 2),
                row.GetInt32(3), row.GetString(4), PostgresSchema.ReadOptionalTime(row, 5), row.GetInt32(6),
                row.GetBoolean(7)));
        return rows;
    }

    public static void Upsert(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredCheck check, int partition) =>
        PostgresSchema.Execute(connection, transaction,
            """
            INSERT INTO checks (id, partition, status, since, consecutive_failures, last_message, error_since, incidents, held_problem)
            VALUES (@id, @p, @status, @since, @failures, @message, @errorSince, @incidents, @held)
            ON CONFLICT (id) DO UPDATE SET partition = excluded.partition, status = excluded.status, since = excluded.since,
                consecutive_failures = excluded.consecutive_failures, last_message = excluded.last_message,
                error_since = excluded.error_since, incidents = excluded.incidents,
                held_problem = excluded.held_problem
            """,
            ("id", check.Id), ("p", partition), ("status", check.Status.ToString()), ("since", PostgresSchema.Time(check.Since)),
            ("failures", check.ConsecutiveFailures), ("message", check.LastMessage),
            ("errorSince", PostgresSchema.Time(check.ErrorSince)), ("incidents", check.Incidents),
            ("held", check.HeldProblem));
}
