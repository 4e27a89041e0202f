using Microsoft.Data.Sqlite;
using Picomon.Checks;
using Picomon.State;

namespace Picomon.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Check_states_come_back_after_a_reopen_exactly()
    {
        var failing = new StoredCheck("http4/wéb ☃", CheckStatus.Error,
            new DateTimeOffset(2026, 11, 24, 10, 2, 3, 456, TimeSpan.FromHours(1)).AddTicks(7), 4,
            "HTTP 503 Service Unavailable (expected 2xx/3xx)\nsecond line\tтретья строка 🚨",
            new DateTimeOffset(2026, 11, 24, 9, 58, 0, TimeSpan.FromHours(-5.5)), 7, HeldProblem: true);
        var ok = new StoredCheck("ping4/gw", CheckStatus.Ok, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), 0, "", null, 0);
        var retrying = new StoredCheck("dns/ns1", CheckStatus.Retrying,
            new DateTimeOffset(2026, 3, 29, 1, 59, 59, TimeSpan.FromHours(2)), 1, "timeout", null, 2);
        using (var store = _dir.Open())
        {
            store.SaveCheck(failing);
            store.SaveCheck(ok);
            store.SaveCheck(retrying);
        }

        using var reopened = _dir.Open();
        var checks = reopened.LoadChecks();

        Assert.Equal([retrying, failing, ok], checks);
        // Record equality compares instants; the offsets must come back too, for "Since …+01:00".
        Assert.Equal("2026-11-24T10:02:03.4560007+01:00", checks[1].Since.ToString("o"));
        Assert.Equal(TimeSpan.FromHours(-5.5), checks[1].ErrorSince!.Value.Offset);
        Assert.Equal(TimeSpan.FromHours(2), checks[0].Since.Offset);
        Assert.Empty(_dir.Errors);
    }

    [Fact]
    public void Checks_are_listed_in_id_order()
    {
        using var store = _dir.Open();
        foreach (var id in new[] { "b", "a", "C", "aa" }) store.SaveCheck(StateDir.Check(id));

        Assert.Equal(["C", "a", "aa", "b"], store.LoadChecks().Select(c => c.Id));
    }

    [Fact]
    public void Saving_a_check_again_replaces_what_was_remembered()
    {
        var recovered = StateDir.Check("tcp4/db", CheckStatus.Ok);
        using (var store = _dir.Open())
        {
            store.SaveCheck(StateDir.Check("tcp4/db", CheckStatus.Error, "Connection refused"));
            store.SaveCheck(recovered);
        }

        using var reopened = _dir.Open();
        Assert.Equal([recovered], reopened.LoadChecks());
    }

    [Fact]
    public void Checks_that_left_the_configuration_are_forgotten_for_good()
    {
        using (var store = _dir.Open())
        {
            foreach (var id in new[] { "a", "b", "c", "d" }) store.SaveCheck(StateDir.Check(id));
            store.ForgetChecksExcept(["b", "d", "new"]);
            Assert.Equal(["b", "d"], store.LoadChecks().Select(c => c.Id));
        }

        using var reopened = _dir.Open();
        Assert.Equal(["b", "d"], reopened.LoadChecks().Select(c => c.Id));
    }

    [Fact]
    public void A_state_table_row_converts_to_a_stored_check_and_back()
    {
        var row = new CheckState("smtp4/mx", CheckStatus.Error, DateTimeOffset.Parse("2026-11-24T10:02:03+01:00"), 3,
            "Operation timed out", DateTimeOffset.Parse("2026-11-24T10:00:00+01:00"), DateTimeOffset.Parse("2026-11-24T10:02:01+01:00"),
            TimeSpan.FromSeconds(2), 4);

        var stored = StoredCheck.From(row);

        Assert.Equal(4, stored.Incidents);
        Assert.Equal(row with { LastRun = null, LastDuration = null }, stored.ToCheckState());
    }

    [Fact]
    public void Creates_a_missing_state_dir_with_its_parents()
    {
        var nested = Path.Combine(_dir.Root, "a", "b", "state");

        using var store = _dir.Open(nested);

        Assert.True(File.Exists(Path.Combine(nested, "picomon.db")));
        Assert.Equal(Path.Combine(nested, "picomon.db"), store.DatabasePath);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_its_path()
    {
        Directory.CreateDirectory(_dir.Path);
        File.WriteAllBytes(_dir.DatabasePath, System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192));

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());

        Assert.Equal($"cannot open state database {_dir.DatabasePath}: file is not a database", error.Message);
    }

    [Fact]
    public void A_state_dir_that_is_a_regular_file_is_refused()
    {
        File.WriteAllText(_dir.Path, "not a directory");

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());

        Assert.Equal($"state-dir {_dir.Path} is not a directory", error.Message);
    }

    [Fact]
    public void A_state_dir_under_a_regular_file_is_refused_naming_that_file()
    {
        var file = Path.Combine(_dir.Root, "file");
        File.WriteAllText(file, "in the way");
        var stateDir = Path.Combine(file, "state");

        var error = Assert.Throws<StateStoreException>(() => _dir.Open(stateDir));

        Assert.Equal($"cannot create state-dir {stateDir}: {file} is not a directory", error.Message);
    }

    [Fact]
    public void A_second_store_on_the_same_state_dir_is_refused_while_the_first_is_open()
    {
        using var first = _dir.Open();
        first.SaveCheck(StateDir.Check("a"));

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());

        Assert.Equal($"cannot open state database {_dir.DatabasePath}: database is locked (is another picomon using this state-dir?)",
            error.Message);
    }

    [Fact]
    public void A_row_this_picomon_cannot_read_is_refused_with_the_path()
    {
        using (var store = _dir.Open()) store.SaveCheck(StateDir.Check("a"));
        Execute("UPDATE checks SET status = 'Broken'");

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());

        Assert.Equal($"cannot read state database {_dir.DatabasePath}: unknown CheckStatus 'Broken'", error.Message);
    }

    [Fact]
    public void Checks_and_mails_written_from_several_threads_all_come_back()
    {
        using (var store = _dir.Open())
        {
            using var start = new Barrier(4);
            var writers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
            {
                start.SignalAndWait();
                for (var n = w; n < 2000; n += 4)
                {
                    store.SaveCheck(StateDir.Check($"check-{n:D4}", CheckStatus.Retrying, $"failure {n}"));
                    if (n % 10 == 0) store.Outbox.Enqueue(StateDir.Mail(n));
                }
            })).ToList();
            writers.ForEach(t => t.Start());
            writers.ForEach(t => t.Join());
        }

        using var reopened = _dir.Open();
        Assert.Equal(2000, reopened.LoadChecks().Count);
        Assert.Equal(200, reopened.Outbox.Count);
        Assert.Empty(_dir.Errors);
    }

    [Fact]
    public void A_version_4_database_gets_no_held_problem()
    {
        using (var store = _dir.Open()) store.SaveCheck(StateDir.Check("http4/a", CheckStatus.Error) with { Incidents = 2 });
        Execute($"{DropFlapColumns} ALTER TABLE checks DROP COLUMN held_problem; PRAGMA user_version = 4");

        using var reopened = _dir.Open();

        Assert.Equal((CheckStatus.Error, 2, false), reopened.LoadChecks().Select(c => (c.Status, c.Incidents, c.HeldProblem)).Single());
    }

    private const string DropFlapColumns = """
        ALTER TABLE checks DROP COLUMN flap_bits; ALTER TABLE checks DROP COLUMN flap_last_failed;
        ALTER TABLE checks DROP COLUMN flapping; ALTER TABLE checks DROP COLUMN ok_held;
        """;

    [Fact]
    public void A_version_5_database_gets_a_steady_flap_history_whose_last_result_is_the_check_s_status()
    {
        using (var store = _dir.Open())
        {
            store.SaveCheck(StateDir.Check("http4/a", CheckStatus.Error));
            store.SaveCheck(StateDir.Check("http4/b", CheckStatus.Ok));
        }
        Execute($"{DropFlapColumns} PRAGMA user_version = 5");

        using var reopened = _dir.Open();

        Assert.Equal([(new FlapHistory(0, true, false), false), (new FlapHistory(0, false, false), false)],
            reopened.LoadChecks().Select(c => (c.Flap, c.OkHeld)));
    }

    [Fact]
    public void A_database_from_a_newer_picomon_is_refused()
    {
        _dir.Open().Dispose();
        Execute("PRAGMA user_version = 99");

        var error = Assert.Throws<StateStoreException>(() => _dir.Open());

        Assert.Equal($"cannot open state database {_dir.DatabasePath}: written by a newer Picomon (schema version 99, this one knows 6)",
            error.Message);
    }

    /// <summary>Changes the closed database behind the store's back.</summary>
    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
