using Picomon.State;
using Picomon.State.Postgres;

namespace Picomon.Tests.State;

public sealed class PostgresDatabaseTests : IAsyncLifetime
{
    private readonly PostgresFixture _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public void An_unreachable_server_is_one_line_naming_it_without_the_password()
    {
        var port = DnsmasqServer.FreePort();

        var error = Assert.Throws<StateStoreException>(() =>
            PostgresDatabase.Open($"Host=127.0.0.1;Port={port};Database=picomon;Username=picomon;Password=hunter2;Timeout=2"));

        Assert.StartsWith($"cannot use PostgreSQL database picomon on 127.0.0.1:{port}: ", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Opening_twice_migrates_once_and_a_newer_schema_is_refused()
    {
        PostgresDatabase.Open(_db.ConnectionString).Dispose();
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM picomon_schema"));
        _db.Scalar("UPDATE picomon_schema SET version = 99");

        var error = Assert.Throws<StateStoreException>(() => PostgresDatabase.Open(_db.ConnectionString));

        Assert.EndsWith(": written by a newer Picomon (schema version 99, this one knows 4)", error.Message);
    }
}
