using Npgsql;
using Picomon.Checks;

namespace Picomon.State.Postgres;

/// <summary>The <c>checks</c> table: each check's durable state (its flap history included), with the partition that wrote it.</summary>
internal static class PostgresRows
{
    /// <param name="where">A WHERE clause (or nothing) over the table.</param>
    public static IReadOnlyList<StoredCheck> Read(NpgsqlConnection connection, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = PostgresSchema.Command(connection, null,
            "SELECT id, status, since, consecutive_failures, last_message, error_since, incidents, held_problem, flap_bits, flap_last_failed, "
            + $"flapping, ok_held FROM checks {where} ORDER BY id",
            parameters);
        using var row = command.ExecuteReader();
        var rows = new List<StoredCheck>();
        while (row.Read())
            rows.Add(new StoredCheck(row.GetString(0), PostgresSchema.ReadEnum<CheckStatus>(row, 1), PostgresSchema.ReadTime(row, 2),
                row.GetInt32(3), row.GetString(4), PostgresSchema.ReadOptionalTime(row, 5), row.GetInt32(6),
                row.GetBoolean(7), new FlapHistory(unchecked((ulong)row.GetInt64(8)), row.GetBoolean(9), row.GetBoolean(10)),
                row.GetBoolean(11)));
        return rows;
    }

    public static void Upsert(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredCheck check, int partition) =>
        PostgresSchema.Execute(connection, transaction,
            """
            INSERT INTO checks (id, partition, status, since, consecutive_failures, last_message, error_since, incidents, held_problem,
                flap_bits, flap_last_failed, flapping, ok_held)
            VALUES (@id, @p, @status, @since, @failures, @message, @errorSince, @incidents, @held,
                @flapBits, @flapLastFailed, @flapping, @okHeld)
            ON CONFLICT (id) DO UPDATE SET partition = excluded.partition, status = excluded.status, since = excluded.since,
                consecutive_failures = excluded.consecutive_failures, last_message = excluded.last_message,
                error_since = excluded.error_since, incidents = excluded.incidents,
                held_problem = excluded.held_problem, flap_bits = excluded.flap_bits,
                flap_last_failed = excluded.flap_last_failed, flapping = excluded.flapping, ok_held = excluded.ok_held
            """,
            ("id", check.Id), ("p", partition), ("status", check.Status.ToString()), ("since", PostgresSchema.Time(check.Since)),
            ("failures", check.ConsecutiveFailures), ("message", check.LastMessage),
            ("errorSince", PostgresSchema.Time(check.ErrorSince)), ("incidents", check.Incidents),
            ("held", check.HeldProblem), ("flapBits", unchecked((long)check.Flap.Bits)),
            ("flapLastFailed", check.Flap.LastFailed), ("flapping", check.Flap.Flapping), ("okHeld", check.OkHeld));
}
