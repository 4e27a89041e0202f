using Npgsql;
using Picomon.Checks;
using Picomon.Mail;

namespace Picomon.State.Postgres;

/// <summary>The state of one partition (its check rows) and the shared outbox, in PostgreSQL, for a cluster node:
/// the <see cref="IStateStore"/> of the aggregator that runs the partition's checks, or of the notifier (whose fence is
/// <see cref="Fence.NotifierPartition"/> and which has no checks). Safe from any thread (one lock).
/// <para>Every write is one transaction that first checks the <see cref="Fence"/>: when the partition was taken over
/// since, nothing is written, <c>onFenced</c> is called (once), and nothing is written again — the holder must stop.
/// A transition's row and its mails are one transaction, as in SQLite.</para>
/// <para>As the SQLite store, no call throws once it is open, and reads are served from memory: when the database
/// cannot be reached, one ERROR is logged per burst, the rows and mails not written are kept in memory, and they are
/// written (fenced) with the next write at least <see cref="RetryDelay"/> later, or by <see cref="Retry"/>.</para></summary>
public sealed class PostgresStateStore : IStateStore
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, StoredCheck> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredCheck> _unsaved = new(StringComparer.Ordinal);
    private readonly List<OutgoingMail> _unqueued = [];
    private readonly NpgsqlDataSource _db;
    private readonly Action<string> _onError, _onInfo;
    private readonly Action _onFenced;
    private readonly TimeProvider _clock;
    private string[]? _retain;
    private bool _failing, _fenced;
    private DateTimeOffset _retryAt;

    private PostgresStateStore(NpgsqlDataSource db, Fence fence, Action<string> onError, Action<string> onInfo, Action onFenced, TimeProvider clock)
    {
        (_db, Fence, _onError, _onInfo, _onFenced, _clock) = (db, fence, onError, onInfo, onFenced, clock);
        Outbox = new PostgresOutbox(this);
    }

    public Fence Fence { get; }

    /// <summary>The shared outbox, written and read under this store's fence.</summary>
    public PostgresOutbox Outbox { get; }

    IOutbox IStateStore.Outbox => Outbox;

    internal Lock Gate { get; } = new();

    internal TimeProvider Clock => _clock;

    /// <summary>Opens the store of <paramref name="fence"/>'s partition, with the rows the partition's checks left
    /// (read after the fence was taken, so every write of a previous holder is there).</summary>
    /// <param name="onFenced">Called once, outside any database call, when a write finds that the fence is no longer
    /// the partition's.</param>
    /// <exception cref="NpgsqlException">The rows cannot be read.</exception>
    public static PostgresStateStore Open(NpgsqlDataSource db, Fence fence, Action<string> onError, Action<string> onInfo,
        Action onFenced, TimeProvider? clock = null)
    {
        var store = new PostgresStateStore(db, fence, onError, onInfo, onFenced, clock ?? TimeProvider.System);
        if (fence.Partition != Fence.NotifierPartition) store.LoadRows();
        return store;
    }

    public IReadOnlyList<StoredCheck> LoadChecks()
    {
        lock (Gate) return _checks.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public void SaveCheck(StoredCheck check)
    {
        lock (Gate)
        {
            _checks[check.Id] = check;
            _unsaved[check.Id] = check;
        }
        Flush();
    }

    public void CommitTransition(StoredCheck check, IReadOnlyList<OutgoingMail> mails)
    {
        lock (Gate)
        {
            _checks[check.Id] = check;
            _unsaved[check.Id] = check;
            _unqueued.AddRange(mails);
        }
        Flush();
    }

    /// <summary>Forgets the partition's checks not in <paramref name="ids"/> (the ids of the whole configuration).</summary>
    public void ForgetChecksExcept(IReadOnlyCollection<string> ids)
    {
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        lock (Gate)
        {
            foreach (var id in _checks.Keys.Where(id => !keep.Contains(id)).ToList())
            {
                _checks.Remove(id);
                _unsaved.Remove(id);
            }
            _retain = [.. ids];
        }
        Flush();
    }

    /// <summary>Writes what a failed write left in memory, if the retry delay has passed.</summary>
    public void Retry() => Flush();

    public void Dispose()
    {
        // The data source is the node's, shared by every partition: nothing of its own to close. What could not be
        // written stays unwritten: the partition's next holder resumes from what the database has.
    }

    private void Flush() => Write(() => _unsaved.Count > 0 || _unqueued.Count > 0 || _retain is not null, (connection, transaction) =>
    {
        foreach (var check in _unsaved.Values) Upsert(connection, transaction, check);
        foreach (var mail in _unqueued) PostgresOutbox.Insert(connection, transaction, mail, "queued", null);
        if (_retain is { } retain)
            PostgresSchema.Execute(connection, transaction, "DELETE FROM checks WHERE partition = @p AND NOT (id = ANY(@keep))",
                ("p", Fence.Partition), ("keep", retain));
        _unsaved.Clear();
        _unqueued.Clear();
        _retain = null;
        return true;
    }, false);

    /// <summary>Runs <paramref name="change"/> in one transaction under the fence, with the store's lock held. Returns
    /// <paramref name="unavailable"/> without running it when the fence was lost, the database fails, or a failure
    /// was seen less than <see cref="RetryDelay"/> ago; logs a failure once per burst and the recovery once.</summary>
    /// <param name="pending">Whether there is anything to write, asked under the lock; null: always.</param>
    internal T Write<T>(Func<bool>? pending, Func<NpgsqlConnection, NpgsqlTransaction, T> change, T unavailable)
    {
        var fenced = false;
        try
        {
            lock (Gate)
            {
                if (_fenced || pending?.Invoke() == false || (_failing && _clock.GetUtcNow() < _retryAt)) return unavailable;
                try
                {
                    using var connection = _db.OpenConnection();
                    using var transaction = connection.BeginTransaction();
                    if (!PostgresSchema.HoldsFence(connection, transaction, Fence))
                    {
                        _fenced = fenced = true;
                        return unavailable;
                    }
                    var result = change(connection, transaction);
                    transaction.Commit();
                    if (_failing) _onInfo($"state database writable again ({Fence})");
                    _failing = false;
                    return result;
                }
                catch (Exception e) when (PostgresDatabase.IsDatabaseError(e))
                {
                    if (!_failing) _onError($"cannot write the state database ({Fence}): {PostgresDatabase.Describe(e)}; keeping the state in memory, will retry");
                    _failing = true;
                    _retryAt = _clock.GetUtcNow() + RetryDelay;
                    return unavailable;
                }
            }
        }
        finally
        {
            if (fenced) _onFenced();
        }
    }

    /// <summary>Reads under the store's lock; <paramref name="unavailable"/> when the database fails (logged as a write).</summary>
    internal T Read<T>(Func<NpgsqlConnection, T> read, T unavailable) => Write(null, (connection, _) => read(connection), unavailable);

    private void Upsert(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredCheck check) =>
        PostgresSchema.Execute(connection, transaction,
            """
            INSERT INTO checks (id, partition, status, since, consecutive_failures, last_message, error_since,
                open_problem_message_id, incidents)
            VALUES (@id, @p, @status, @since, @failures, @message, @errorSince, @problemId, @incidents)
            ON CONFLICT (id) DO UPDATE SET partition = excluded.partition, status = excluded.status, since = excluded.since,
                consecutive_failures = excluded.consecutive_failures, last_message = excluded.last_message,
                error_since = excluded.error_since, open_problem_message_id = excluded.open_problem_message_id,
                incidents = excluded.incidents
            """,
            ("id", check.Id), ("p", Fence.Partition), ("status", check.Status.ToString()), ("since", PostgresSchema.Time(check.Since)),
            ("failures", check.ConsecutiveFailures), ("message", check.LastMessage),
            ("errorSince", PostgresSchema.Time(check.ErrorSince)), ("problemId", check.OpenProblemMessageId),
            ("incidents", check.Incidents));

    private void LoadRows()
    {
        using var connection = _db.OpenConnection();
        using var command = PostgresSchema.Command(connection, null,
            """
            SELECT id, status, since, consecutive_failures, last_message, error_since, open_problem_message_id, incidents
            FROM checks WHERE partition = @p
            """, ("p", Fence.Partition));
        using var row = command.ExecuteReader();
        while (row.Read())
            _checks[row.GetString(0)] = new StoredCheck(row.GetString(0), PostgresSchema.ReadEnum<CheckStatus>(row, 1),
                PostgresSchema.ReadTime(row, 2), row.GetInt32(3), row.GetString(4), PostgresSchema.ReadOptionalTime(row, 5),
                PostgresSchema.ReadOptionalText(row, 6), row.GetInt32(7));
    }
}
