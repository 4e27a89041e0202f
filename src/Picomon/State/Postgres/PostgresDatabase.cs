using System.Net.Sockets;
using Npgsql;

namespace Picomon.State.Postgres;

/// <summary>Opens the cluster's PostgreSQL database (Npgsql): a pooled data source, the schema migrated. Every
/// failure becomes a one-line <see cref="StateStoreException"/> that names the server, never the connection string
/// (it may hold a password).</summary>
public static class PostgresDatabase
{
    /// <summary>Connections a node keeps at most: each partition writes on one at a time, so a node needs about as
    /// many as it runs partitions; three nodes then stay well under PostgreSQL's default of 100.</summary>
    private const int DefaultPoolSize = 24;

    /// <summary>A transaction left open this long is ended by the server, its locks released: a node paused (SIGSTOP, a
    /// frozen VM) in the middle of a fenced write would otherwise keep the partition's row locked, and no other node
    /// could take the partition over. What it was writing is rolled back — it was stale anyway.</summary>
    public static readonly TimeSpan IdleInTransaction = TimeSpan.FromSeconds(5);

    /// <exception cref="StateStoreException">The server cannot be reached, refuses the login, or holds a newer schema.</exception>
    public static NpgsqlDataSource Open(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase)) builder.MaxPoolSize = DefaultPoolSize;
        builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={(int)IdleInTransaction.TotalMilliseconds}".Trim();
        var where = $"PostgreSQL database {builder.Database ?? builder.Username ?? "(default)"} on {builder.Host}:{builder.Port}";
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            using var connection = dataSource.OpenConnection();
            PostgresSchema.Migrate(connection);
            return dataSource;
        }
        catch (Exception e) when (IsDatabaseError(e) || e is InvalidDataException)
        {
            dataSource.Dispose();
            throw new StateStoreException($"cannot use {where}: {Describe(e)}", e);
        }
    }

    /// <summary>The errors a database call can end with: the server's, the connection's, a timeout.</summary>
    public static bool IsDatabaseError(Exception e) => e is NpgsqlException or SocketException or TimeoutException or IOException;

    /// <summary>The reason alone, in one line: the server's message, or the connection's failure.</summary>
    public static string Describe(Exception e) => e switch
    {
        PostgresException pg => pg.MessageText,
        NpgsqlException { InnerException: { } inner } npgsql => $"{npgsql.Message.TrimEnd('.')}: {inner.Message}",
        _ => e.Message,
    };
}
