using Microsoft.Data.Sqlite;

namespace Picomon.State;

/// <summary>Opens <c>picomon.db</c> in a state directory, ready for the store: directory created and
/// writable, WAL journal, exclusive lock, integrity checked, schema current. Every failure becomes a
/// one-line <see cref="StateStoreException"/> naming the path and the reason.</summary>
internal static class StateDatabase
{
    public const string FileName = "picomon.db";

    /// <summary>Seconds a statement waits for a lock: only another process holding the state-dir can hold one.</summary>
    private const int LockWaitSeconds = 1;

    public static SqliteConnection Connect(string stateDir)
    {
        PrepareDirectory(stateDir);
        var path = Path.Combine(stateDir, FileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Pooling would keep the file open after Dispose; the store holds its one connection itself.
            Pooling = false,
            DefaultTimeout = LockWaitSeconds,
        }.ToString());
        try
        {
            connection.Open();
            Configure(connection);
            QuickCheck(connection);
            StateSchema.Migrate(connection);
            return connection;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            connection.Dispose();
            var reason = Describe(e);
            if (e is SqliteException { SqliteErrorCode: 5 }) reason += " (is another picomon using this state-dir?)";
            throw new StateStoreException($"cannot open state database {path}: {reason}", e);
        }
    }

    /// <summary>The reason alone: SQLite's own text without its "SQLite Error N: '…'." wrapping.</summary>
    public static string Describe(Exception e)
    {
        if (e is not SqliteException sqlite) return e.Message;
        var text = sqlite.Message;
        var start = text.IndexOf(": '", StringComparison.Ordinal);
        return start >= 0 && text.EndsWith("'.", StringComparison.Ordinal) ? text[(start + 3)..^2] : text;
    }

    private static void PrepareDirectory(string stateDir)
    {
        if (File.Exists(stateDir)) throw new StateStoreException($"state-dir {stateDir} is not a directory");
        try
        {
            Directory.CreateDirectory(stateDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"cannot create state-dir {stateDir}: {WhyNoDirectory(stateDir, e)}", e);
        }
        try
        {
            using (File.Create(Path.Combine(stateDir, ".picomon-write-test"), 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"state-dir {stateDir} is not writable: {e.Message}", e);
        }
    }

    /// <summary>.NET says "Could not find a part of the path" when an ancestor is a file; name that file.</summary>
    private static string WhyNoDirectory(string stateDir, Exception e)
    {
        for (var ancestor = Path.GetDirectoryName(stateDir); !string.IsNullOrEmpty(ancestor); ancestor = Path.GetDirectoryName(ancestor))
            if (File.Exists(ancestor)) return $"{ancestor} is not a directory";
        return e.Message;
    }

    private static void Configure(SqliteConnection connection)
    {
        // Exclusive: a second picomon on the same state-dir is refused instead of sending every mail twice;
        // it also keeps the WAL index in memory (no -shm file).
        StateSchema.Scalar(connection, "PRAGMA locking_mode = EXCLUSIVE");
        var mode = StateSchema.Scalar(connection, "PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"cannot use a write-ahead log (journal mode stays '{mode}')");
        // NORMAL in WAL mode: a commit is in the OS once it returns, so kill -9 loses nothing; only an OS
        // crash or power cut can lose the last commits. The outbox raises it to FULL for new mails.
        StateSchema.Scalar(connection, "PRAGMA synchronous = NORMAL");
    }

    private static void QuickCheck(SqliteConnection connection)
    {
        var verdict = StateSchema.Scalar(connection, "PRAGMA quick_check(1)") as string ?? "no answer";
        if (verdict != "ok") throw new InvalidDataException($"integrity check failed: {verdict}");
    }
}
