using Npgsql;

namespace Picomon.State.Postgres;

/// <summary>How a table's code reaches the database: under a partition's fence (<see cref="PostgresStateStore"/>), or
/// directly for what belongs to no partition (<see cref="PostgresDirect"/>: the operator's silences and acks given
/// on any node).</summary>
internal interface IPostgresAccess
{
    /// <summary>Runs <paramref name="read"/> on a connection; <paramref name="unavailable"/> when it cannot.</summary>
    T Read<T>(Func<NpgsqlConnection, T> read, T unavailable, bool claim = false);

    /// <summary>Runs <paramref name="change"/> in one transaction; <paramref name="unavailable"/> when it cannot.</summary>
    /// <param name="pending">Whether there is anything to write; null: always.</param>
    T Write<T>(Func<bool>? pending, Func<NpgsqlConnection, NpgsqlTransaction, T> change, T unavailable);
}

/// <summary>The database without a fence, for a node's operator commands: a failure throws (the command reports it).</summary>
internal sealed class PostgresDirect(NpgsqlDataSource db) : IPostgresAccess
{
    public T Read<T>(Func<NpgsqlConnection, T> read, T unavailable, bool claim = false)
    {
        using var connection = db.OpenConnection();
        return read(connection);
    }

    public T Write<T>(Func<bool>? pending, Func<NpgsqlConnection, NpgsqlTransaction, T> change, T unavailable)
    {
        if (pending?.Invoke() == false) return unavailable;
        using var connection = db.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var result = change(connection, transaction);
        transaction.Commit();
        return result;
    }
}
