using Npgsql;
using Picomon.State;
using Picomon.State.Postgres;

namespace Picomon.Tests.State;

/// <summary>The contract on PostgreSQL (a throw-away server, a database per test), through the store of one
/// partition, taken once: every "reopen" is a new store under the same fence.</summary>
public sealed class PostgresStateStoreContract : StateStoreContract, IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    protected override IStateStore Open() => _db.OpenStore(_db.Take(5, "node-a"));

    protected override IReadOnlyCollection<string> Errors => _db.Errors;

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();
}

/// <summary>A database of its own on the shared throw-away server, its data source, and what its stores logged.</summary>
internal sealed class PostgresFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public List<string> Errors { get; } = [];

    public List<string> Infos { get; } = [];

    public ManualClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.Shared.CreateDatabaseAsync();
        DataSource = PostgresDatabase.Open(ConnectionString);
    }

    public Task DisposeAsync()
    {
        DataSource.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Takes the partition for <paramref name="owner"/>, whoever held it (nobody else is a member).</summary>
    public Fence Take(int partition, string owner) =>
        new PartitionLeases(DataSource, owner).TryTake(partition, _ => false).Fence ?? throw new InvalidOperationException("not taken");

    public PostgresStateStore OpenStore(Fence fence, Action? onFenced = null) =>
        PostgresStateStore.Open(DataSource, fence, e => { lock (Errors) Errors.Add(e); }, i => { lock (Infos) Infos.Add(i); },
            onFenced ?? (() => { }), Clock);

    public object? Scalar(string sql)
    {
        using var connection = DataSource.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
