using Npgsql;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;

namespace Picomon.State.Postgres;

/// <summary>The cluster's state in PostgreSQL, seen by the holder of one <see cref="Fence"/>: for a check partition,
/// the <see cref="IStateStore"/> of the aggregator that runs the partition's checks (its check rows, and the pending
/// notifications their transitions cause); for the notifier (<see cref="Fence.NotifierPartition"/>), the store of the
/// cluster's one <see cref="Actors.Notifier"/> and its senders (every check row, the pending notifications of every
/// partition, threads, reminders, every channel's outbox). Safe from any thread (one lock).
/// <para>Every write is one transaction that first checks the <see cref="Fence"/>: when the partition was taken over
/// since, nothing is written, <c>onFenced</c> is called (once), and nothing is written again — the holder must stop.
/// A transition's rows and its pending notifications are one transaction, and so is each commit of the notifier.</para>
/// <para>A partition's store, like the SQLite one, never throws once open and serves its rows from memory: when the
/// database cannot be reached, one ERROR is logged per burst, the rows and notifications not written are kept in
/// memory and written (fenced) with the next write at least <see cref="RetryDelay"/> later, or by <see cref="Retry"/>.
/// The notifier's store reads the database; a commit of the notifier that cannot be written is treated as a lost
/// fence (<c>onFenced</c>): the notifier restarts from what the database holds, so nothing it did is half-kept.</para></summary>
public sealed class PostgresStateStore : IStateStore, IPostgresAccess
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, StoredCheck> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredCheck> _unsaved = new(StringComparer.Ordinal);
    private readonly List<Notification> _unqueued = [];
    private readonly Dictionary<string, PostgresOutbox> _mailOutboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PostgresDeliveryOutbox> _deliveryOutboxes = new(StringComparer.Ordinal);
    // The notifier's: the pending notifications handed to it (loaded, new, or queued by its commits), not released yet.
    private readonly HashSet<long> _handed = [];
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
        Outbox = MailOutboxOf(NotifySettings.ImplicitChannel);
        Holds = new PostgresHoldStore(this);
    }

    public Fence Fence { get; }

    private bool IsNotifier => Fence.Partition == Fence.NotifierPartition;

    /// <summary>The <c>email</c> channel's outbox, written and read under this store's fence.</summary>
    public PostgresOutbox Outbox { get; }

    IOutbox IStateStore.Outbox => Outbox;

    internal Lock Gate { get; } = new();

    /// <summary>The cluster's silences and acknowledgements, read from the database, written under this store's fence.</summary>
    public IHoldStore Holds { get; }

    public IOutbox MailOutbox(string channel)
    {
        lock (Gate) return MailOutboxOf(channel);
    }

    public IDeliveryOutbox DeliveryOutbox(string channel)
    {
        lock (Gate)
        {
            if (!_deliveryOutboxes.TryGetValue(channel, out var outbox)) _deliveryOutboxes[channel] = outbox = new PostgresDeliveryOutbox(this, channel);
            return outbox;
        }
    }

    private PostgresOutbox MailOutboxOf(string channel)
    {
        if (!_mailOutboxes.TryGetValue(channel, out var outbox)) _mailOutboxes[channel] = outbox = new PostgresOutbox(this, channel);
        return outbox;
    }

    /// <summary>Opens the store of <paramref name="fence"/>'s partition, with the rows the partition's checks left
    /// (read after the fence was taken, so every write of a previous holder is there).</summary>
    /// <param name="onFenced">Called once, outside any database call, when a write finds that the fence is no longer
    /// the partition's (for the notifier, also when a commit cannot be written).</param>
    /// <exception cref="NpgsqlException">The rows cannot be read.</exception>
    public static PostgresStateStore Open(NpgsqlDataSource db, Fence fence, Action<string> onError, Action<string> onInfo,
        Action onFenced, TimeProvider? clock = null)
    {
        var store = new PostgresStateStore(db, fence, onError, onInfo, onFenced, clock ?? TimeProvider.System);
        if (!store.IsNotifier)
        {
            using var connection = db.OpenConnection();
            foreach (var row in PostgresRows.Read(connection, "WHERE partition = @p", ("p", fence.Partition))) store._checks[row.Id] = row;
        }
        return store;
    }

    public IReadOnlyList<StoredCheck> LoadChecks()
    {
        if (IsNotifier) return Read(connection => PostgresRows.Read(connection, "", []), []);
        lock (Gate) return _checks.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public StoredCheck? FindCheck(string id)
    {
        if (IsNotifier) return Read(connection => PostgresRows.Read(connection, "WHERE id = @id", ("id", id)).FirstOrDefault(), null);
        lock (Gate) return _checks.GetValueOrDefault(id);
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

    /// <summary>Returns what this write queued as pending (with notifications an earlier failed write kept); nothing when
    /// the database cannot be written now (they are kept, and written later).</summary>
    public IReadOnlyList<PendingNotification> CommitTransitions(IReadOnlyCollection<StoredCheck> checks, IReadOnlyList<Notification> notifications)
    {
        lock (Gate)
        {
            foreach (var check in checks) _checks[check.Id] = _unsaved[check.Id] = check;
            _unqueued.AddRange(notifications);
        }
        return Flush();
    }

    /// <summary>The notifier's: the pending notifications not handed to it yet by this store, now handed — each is
    /// handed once, whether the notifier loads it when it starts or is told of it later (<see cref="NewPending"/>).</summary>
    public IReadOnlyList<PendingNotification> LoadPending() => NewPending();

    /// <summary>The notifier's: the pending notifications not handed to it yet (queued by partitions since), now handed.</summary>
    public IReadOnlyList<PendingNotification> NewPending() => Read(connection =>
        // Under the store's lock (Read holds it), as every change of what was handed.
        PostgresNotifications.ReadPending(connection).Where(p => _handed.Add(p.Seq)).ToList(), []);

    public IReadOnlyList<PendingNotification> Commit(NotificationChanges changes)
    {
        var queued = Write(null, (connection, transaction) => PostgresNotifications.Apply(connection, transaction, changes), null);
        if (queued is null)
        {
            if (!_fenced) Fenced("its commit could not be written");
            return [];
        }
        lock (Gate)
        {
            _handed.ExceptWith(changes.Released);
            _handed.UnionWith(queued.Select(p => p.Seq));
        }
        return queued;
    }

    public string? AnnouncedBy(string channel, string incident) => Read(connection =>
        PostgresSchema.Scalar(connection, null, "SELECT message_id FROM threads WHERE channel = @c AND incident = @i",
            ("c", channel), ("i", incident)) as string, null);

    public IReadOnlyList<ScheduledReminder> LoadReminders() => Read(PostgresNotifications.ReadReminders, []);

    /// <summary>A partition forgets its rows not in <paramref name="ids"/> (the ids of the whole configuration); the
    /// notifier, the threads and reminders of the checks not in it.</summary>
    public void ForgetChecksExcept(IReadOnlyCollection<string> ids)
    {
        if (IsNotifier)
        {
            Write(null, (connection, transaction) => PostgresNotifications.ForgetChecksExcept(connection, transaction, [.. ids]), 0);
            return;
        }
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

    private IReadOnlyList<PendingNotification> Flush() => Write(() => _unsaved.Count > 0 || _unqueued.Count > 0 || _retain is not null,
        (connection, transaction) =>
        {
            foreach (var check in _unsaved.Values) PostgresRows.Upsert(connection, transaction, check, Fence.Partition);
            var queued = PostgresNotifications.Queue(connection, transaction, _unqueued);
            if (_retain is { } retain)
                PostgresSchema.Execute(connection, transaction, "DELETE FROM checks WHERE partition = @p AND NOT (id = ANY(@keep))",
                    ("p", Fence.Partition), ("keep", retain));
            _unsaved.Clear();
            _unqueued.Clear();
            _retain = null;
            return queued;
        }, []);

    /// <summary>Runs <paramref name="change"/> in one transaction under the fence, with the store's lock held. Returns
    /// <paramref name="unavailable"/> without running it when the fence was lost, the database fails, or a failure
    /// was seen less than <see cref="RetryDelay"/> ago; logs a failure once per burst and the recovery once.</summary>
    /// <param name="pending">Whether there is anything to write, asked under the lock; null: always.</param>
    internal T Write<T>(Func<bool>? pending, Func<NpgsqlConnection, NpgsqlTransaction, T> change, T unavailable) =>
        Call(pending, connection =>
        {
            using var transaction = connection.BeginTransaction();
            if (!PostgresSchema.HoldsFence(connection, transaction, Fence)) return (false, unavailable);
            var result = change(connection, transaction);
            transaction.Commit();
            return (true, result);
        }, unavailable);

    T IPostgresAccess.Write<T>(Func<bool>? pending, Func<NpgsqlConnection, NpgsqlTransaction, T> change, T unavailable) =>
        Write(pending, change, unavailable);

    T IPostgresAccess.Read<T>(Func<NpgsqlConnection, T> read, T unavailable, bool claim) => Read(read, unavailable, claim);

    private bool HoldsEpoch(NpgsqlConnection connection) =>
        PostgresSchema.Scalar(connection, null, "SELECT epoch FROM partitions WHERE partition = @p", ("p", Fence.Partition)) is long epoch
        && epoch == Fence.Epoch;

    private void Fenced(string why)
    {
        lock (Gate) _fenced = true;
        _onInfo($"{Fence}: {why}; it restarts from the database");
        _onFenced();
    }

    /// <summary>Reads under the store's lock, without a transaction and without locking the fence's row (only writes
    /// need that, against a take); <paramref name="unavailable"/> when the fence was lost or the database fails (logged
    /// as a write). With <paramref name="claim"/> (a sender's look at the next message) the fence's epoch is compared
    /// first: a holder taken over finds nothing.</summary>
    internal T Read<T>(Func<NpgsqlConnection, T> read, T unavailable, bool claim = false) =>
        Call(null, connection => claim && !HoldsEpoch(connection) ? (false, unavailable) : (true, read(connection)), unavailable);

    /// <summary>What every write and read of the store shares: under the store's lock, nothing when the fence was lost,
    /// there is nothing <paramref name="pending"/>, or a failure was seen less than <see cref="RetryDelay"/> ago; else
    /// <paramref name="call"/> on a new connection. When it finds the fence no longer the store's (<c>Held</c> false),
    /// the fence counts as lost from then on, and <c>onFenced</c> is called once the lock is let go; a database
    /// failure is logged (<see cref="Failed"/>). Either way the answer is <paramref name="unavailable"/>.</summary>
    private T Call<T>(Func<bool>? pending, Func<NpgsqlConnection, (bool Held, T Result)> call, T unavailable)
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
                    var (held, result) = call(connection);
                    if (!held)
                    {
                        _fenced = fenced = true;
                        return unavailable;
                    }
                    Succeeded();
                    return result;
                }
                catch (Exception e) when (PostgresDatabase.IsDatabaseError(e))
                {
                    Failed(e);
                    return unavailable;
                }
            }
        }
        finally
        {
            if (fenced) _onFenced();
        }
    }

    // Called under the lock: the database answered again after failing.
    private void Succeeded()
    {
        if (_failing) _onInfo($"state database writable again ({Fence})");
        _failing = false;
    }

    // Called under the lock: said once, then retried after RetryDelay.
    private void Failed(Exception e)
    {
        if (!_failing) _onError($"cannot write the state database ({Fence}): {PostgresDatabase.Describe(e)}; keeping the state in memory, will retry");
        _failing = true;
        _retryAt = _clock.GetUtcNow() + RetryDelay;
    }
}
