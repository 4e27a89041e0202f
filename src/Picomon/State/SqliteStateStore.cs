using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Notifications;

namespace Picomon.State;

/// <summary>The durable state in <c>state-dir/picomon.db</c> (SQLite, WAL, one connection):
/// each check's state, each channel's outbox (<see cref="Outbox"/> is the <c>email</c> one) and the notifier's
/// state (<see cref="NotificationTables"/>). Safe to call from any thread (one lock).
/// <para>Guarantees. Open fails with a <see cref="StateStoreException"/>; after that no call throws. Reads
/// are served from memory, never from the disk. Every change is in memory when the call returns and is
/// committed before it returns (WAL, synchronous=NORMAL; FULL for transitions with their notifications, the notifier's
/// commits, a new or a refused mail), so a process crash (kill -9) loses nothing and an OS crash or power cut can lose
/// at most the last check changes and sent marks — a message can be sent again, never lost. Transitions and their
/// pending notifications are one transaction, and so is each commit of the notifier: all of it, or none. Only one
/// process can open a state-dir.</para>
/// <para>When a write fails at runtime (disk full, file deleted, I/O error) the store logs one ERROR, keeps
/// working from memory, and on a write at least <see cref="RetryDelay"/> later reopens the database and
/// rewrites everything it holds; success is logged as INFO. A database deleted while running is thus
/// recreated. The error and info callbacks run under the store's lock and must not call back into it.</para></summary>
public sealed class SqliteStateStore : IStateStore
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, StoredCheck> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteOutbox> _mailOutboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteDeliveryOutbox> _deliveryOutboxes = new(StringComparer.Ordinal);
    private readonly NotificationTables _notifications = new();
    private readonly string _stateDir;
    private readonly Action<string> _onError, _onInfo;
    private SqliteConnection? _connection;
    private bool _failing, _disposed;
    private DateTimeOffset _retryAt;
    private long _nextMailSeq, _nextDeliverySeq;

    private SqliteStateStore(string stateDir, SqliteConnection connection, Action<string> onError, Action<string> onInfo, TimeProvider clock)
    {
        (_stateDir, _connection, _onError, _onInfo, Clock) = (stateDir, connection, onError, onInfo, clock);
        DatabasePath = Path.Combine(stateDir, StateDatabase.FileName);
        LoadChecksFrom(connection);
        _nextMailSeq = Convert.ToInt64(StateSchema.Scalar(connection, "SELECT coalesce(max(seq), 0) + 1 FROM outbox"));
        _nextDeliverySeq = Convert.ToInt64(StateSchema.Scalar(connection, "SELECT coalesce(max(seq), 0) + 1 FROM deliveries"));
        SqliteOutbox.LoadAll(connection, MailOutboxOf, clock.GetUtcNow().ToUnixTimeMilliseconds());
        SqliteDeliveryOutbox.LoadAll(connection, DeliveryOutboxOf);
        _notifications.Load(connection);
        Outbox = MailOutboxOf(NotifySettings.ImplicitChannel);
        Holds = new SqliteHoldStore(this, connection);
    }

    public string DatabasePath { get; }

    /// <summary>The persistent mail outbox of the <c>email</c> channel (reports, the stopped mail, and the implicit
    /// channel's alerts), restored with every mail that was queued or refused.</summary>
    public SqliteOutbox Outbox { get; }

    IOutbox IStateStore.Outbox => Outbox;

    public IOutbox MailOutbox(string channel)
    {
        lock (Gate) return MailOutboxOf(channel);
    }

    public IDeliveryOutbox DeliveryOutbox(string channel)
    {
        lock (Gate) return DeliveryOutboxOf(channel);
    }

    /// <summary>The silences and acknowledgements.</summary>
    internal SqliteHoldStore Holds { get; }

    IHoldStore IStateStore.Holds => Holds;

    internal Lock Gate { get; } = new();

    internal TimeProvider Clock { get; }

    /// <summary>Opens (or creates) <c>picomon.db</c> in <paramref name="stateDir"/>, creating the directory.</summary>
    /// <param name="onError">Receives one ERROR line per burst of runtime write failures.</param>
    /// <param name="onInfo">Receives the INFO line when writing works again.</param>
    /// <param name="clock">The time for retry delays and the sent-mail history; the system clock by default.</param>
    /// <exception cref="StateStoreException">The directory or the database cannot be used.</exception>
    public static SqliteStateStore Open(string stateDir, Action<string> onError, Action<string> onInfo, TimeProvider? clock = null)
    {
        var fullDir = Path.GetFullPath(stateDir);
        var connection = StateDatabase.Connect(fullDir);
        try
        {
            return new SqliteStateStore(fullDir, connection, onError, onInfo, clock ?? TimeProvider.System);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            connection.Dispose();
            var path = Path.Combine(fullDir, StateDatabase.FileName);
            throw new StateStoreException($"cannot read state database {path}: {StateDatabase.Describe(e)}", e);
        }
    }

    public IReadOnlyList<StoredCheck> LoadChecks()
    {
        lock (Gate) return _checks.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public StoredCheck? FindCheck(string id)
    {
        lock (Gate) return _checks.GetValueOrDefault(id);
    }

    public IReadOnlyList<PendingNotification> LoadPending()
    {
        lock (Gate) return _notifications.Pending;
    }

    public string? AnnouncedBy(string channel, string incident)
    {
        lock (Gate) return _notifications.AnnouncedBy(channel, incident);
    }

    public IReadOnlyList<ScheduledReminder> LoadReminders()
    {
        lock (Gate) return _notifications.Reminders;
    }

    // Rows and notifications in one transaction: after a crash a check is in error with its Problem waiting, or
    // neither. Without a notification nothing needs the disk to wait.
    public IReadOnlyList<PendingNotification> CommitTransitions(IReadOnlyCollection<StoredCheck> checks, IReadOnlyList<Notification> notifications)
    {
        lock (Gate)
        {
            foreach (var check in checks) _checks[check.Id] = check;
            var queued = new List<PendingNotification>();
            var queue = _notifications.Queue(notifications, queued);
            Persist(transaction =>
            {
                foreach (var check in checks) Insert(transaction, check);
                queue(transaction);
            }, durable: notifications.Count > 0);
            return queued;
        }
    }

    public IReadOnlyList<PendingNotification> Commit(NotificationChanges changes)
    {
        lock (Gate)
        {
            var queued = new List<PendingNotification>();
            var apply = _notifications.Apply(changes, queued);
            var mails = changes.Mails.Select(m => (Outbox: MailOutboxOf(m.Channel), m.Mail)).Select(m => (m.Outbox, Seq: m.Outbox.Add(m.Mail), m.Mail)).ToList();
            var deliveries = changes.Deliveries.Select(d => (Outbox: DeliveryOutboxOf(d.Channel), d.Delivery))
                .Select(d => (d.Outbox, Seq: d.Outbox.Add(d.Delivery), d.Delivery)).ToList();
            Persist(transaction =>
            {
                apply(transaction);
                foreach (var (outbox, seq, mail) in mails) outbox.InsertQueued(transaction, seq, mail);
                foreach (var (outbox, seq, delivery) in deliveries) outbox.InsertQueued(transaction, seq, delivery);
            }, durable: true);
            return queued;
        }
    }

    public void SaveCheck(StoredCheck check)
    {
        lock (Gate)
        {
            _checks[check.Id] = check;
            Persist(transaction => Insert(transaction, check));
        }
    }

    public void ForgetChecksExcept(IReadOnlyCollection<string> ids)
    {
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        lock (Gate)
        {
            var gone = _checks.Keys.Where(id => !keep.Contains(id)).ToList();
            var notifications = _notifications.ForgetChecksExcept(keep);
            if (gone.Count == 0 && notifications is null) return;
            foreach (var id in gone) _checks.Remove(id);
            Persist(transaction =>
            {
                foreach (var id in gone) StateSchema.Execute(transaction, "DELETE FROM checks WHERE id = $id", ("$id", id));
                notifications?.Invoke(transaction);
            });
        }
    }

    /// <summary>Commits a change already made in memory; the caller holds <see cref="Gate"/>.
    /// <paramref name="durable"/> waits for the disk (fsync) rather than only the OS.</summary>
    internal void Persist(Action<SqliteTransaction> change, bool durable = false)
    {
        if (_disposed) return;
        if (_failing)
        {
            // The failed changes are only in memory: a retry rewrites all of it, this change included.
            if (Clock.GetUtcNow() >= _retryAt) Recover();
            return;
        }
        try
        {
            // Deleted under us, SQLite would go on writing into the orphaned WAL without a word.
            if (!File.Exists(DatabasePath)) throw new IOException("the file was deleted while in use");
            Commit(_connection!, change, durable);
        }
        catch (Exception e)
        {
            _failing = true;
            _retryAt = Clock.GetUtcNow() + RetryDelay;
            _connection?.Dispose();
            _connection = null;
            _onError($"cannot write state database {DatabasePath}: {StateDatabase.Describe(e)}; keeping the state in memory, will retry");
        }
    }

    /// <summary>Saves what is still only in memory, then closes the database.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            if (_failing) Recover();
            if (_failing)
                _onError($"state not saved to {DatabasePath}: {_checks.Count} check state(s) and "
                         + $"{_mailOutboxes.Values.Sum(o => o.Count) + _deliveryOutboxes.Values.Sum(o => o.Count)} queued notification(s) are lost");
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void Recover()
    {
        try
        {
            _connection = StateDatabase.Connect(_stateDir);
            Commit(_connection, RewriteAll, durable: true);
            _failing = false;
            _onInfo($"state database writable again: {DatabasePath}");
        }
        catch (Exception)
        {
            // Still failing: the burst's ERROR was logged once already.
            _connection?.Dispose();
            _connection = null;
            _retryAt = Clock.GetUtcNow() + RetryDelay;
        }
    }

    private static void Commit(SqliteConnection connection, Action<SqliteTransaction> change, bool durable)
    {
        if (durable) StateSchema.Scalar(connection, "PRAGMA synchronous = FULL");
        try
        {
            using var transaction = connection.BeginTransaction();
            change(transaction);
            transaction.Commit();
        }
        finally
        {
            if (durable) StateSchema.Scalar(connection, "PRAGMA synchronous = NORMAL");
        }
    }

    private void RewriteAll(SqliteTransaction transaction)
    {
        StateSchema.Execute(transaction, "DELETE FROM checks");
        foreach (var check in _checks.Values) Insert(transaction, check);
        foreach (var outbox in _mailOutboxes.Values) outbox.RewriteAll(transaction);
        foreach (var outbox in _deliveryOutboxes.Values) outbox.RewriteAll(transaction);
        _notifications.RewriteAll(transaction);
        Holds.RewriteAll(transaction);
    }

    /// <summary>The next place in the mail outboxes' one numbering; the caller holds <see cref="Gate"/>.</summary>
    internal long NextMailSeq() => _nextMailSeq++;

    internal long NextDeliverySeq() => _nextDeliverySeq++;

    private SqliteOutbox MailOutboxOf(string channel)
    {
        if (!_mailOutboxes.TryGetValue(channel, out var outbox)) _mailOutboxes[channel] = outbox = new SqliteOutbox(this, channel);
        return outbox;
    }

    private SqliteDeliveryOutbox DeliveryOutboxOf(string channel)
    {
        if (!_deliveryOutboxes.TryGetValue(channel, out var outbox))
            _deliveryOutboxes[channel] = outbox = new SqliteDeliveryOutbox(this, channel);
        return outbox;
    }

    private static void Insert(SqliteTransaction transaction, StoredCheck check) =>
        StateSchema.Execute(transaction,
            """
            INSERT OR REPLACE INTO checks (id, status, since, consecutive_failures, last_message, error_since, incidents, held_problem,
                flap_bits, flap_last_failed, flapping, ok_held)
            VALUES ($id, $status, $since, $failures, $message, $errorSince, $incidents, $heldProblem,
                $flapBits, $flapLastFailed, $flapping, $okHeld)
            """,
            ("$id", check.Id), ("$status", check.Status.ToString()), ("$since", StateSchema.Time(check.Since)),
            ("$failures", check.ConsecutiveFailures), ("$message", check.LastMessage),
            ("$errorSince", StateSchema.Time(check.ErrorSince)), ("$incidents", check.Incidents),
            ("$heldProblem", check.HeldProblem ? 1 : 0), ("$flapBits", unchecked((long)check.Flap.Bits)),
            ("$flapLastFailed", check.Flap.LastFailed ? 1 : 0), ("$flapping", check.Flap.Flapping ? 1 : 0),
            ("$okHeld", check.OkHeld ? 1 : 0));

    private void LoadChecksFrom(SqliteConnection connection)
    {
        StateSchema.ForEachRow(connection,
            """
            SELECT id, status, since, consecutive_failures, last_message, error_since, incidents, held_problem,
                flap_bits, flap_last_failed, flapping, ok_held
            FROM checks
            """,
            row => _checks[row.GetString(0)] = new StoredCheck(row.GetString(0), StateSchema.ReadEnum<CheckStatus>(row, 1),
                StateSchema.ReadTime(row, 2), row.GetInt32(3), row.GetString(4), StateSchema.ReadOptionalTime(row, 5), row.GetInt32(6),
                row.GetInt32(7) != 0, new FlapHistory(unchecked((ulong)row.GetInt64(8)), row.GetInt32(9) != 0, row.GetInt32(10) != 0),
                row.GetInt32(11) != 0));
    }
}
