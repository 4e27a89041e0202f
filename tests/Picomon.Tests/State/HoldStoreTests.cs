using Picomon.Checks;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>Silences and acknowledgements in a real SQLite file, kept across reopening, and the aggregator's book
/// of them (<see cref="HoldBook"/>).</summary>
public sealed class HoldStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(1));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"picomon-holds-{Guid.NewGuid():N}");

    private SqliteStateStore Open() => SqliteStateStore.Open(_dir, e => Assert.Fail(e), _ => { });

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Silences_and_acks_survive_reopening_and_removed_ones_stay_removed()
    {
        using (var store = Open())
        {
            store.Holds.AddSilence(new Silence("aaaa0001", ["http4/*", "*/web"], T0, T0.AddHours(1), "rack move"));
            store.Holds.AddSilence(new Silence("aaaa0002", ["db/*"], T0, T0.AddHours(2), ""));
            store.Holds.AddAck(new Acknowledgement("http4/web#3", "http4/web", T0, "on it"));
            store.Holds.AddAck(new Acknowledgement("tcp4/db#1", "tcp4/db", T0, ""));
            Assert.True(store.Holds.RemoveSilence("aaaa0002"));
            Assert.False(store.Holds.RemoveSilence("aaaa0002"));
            store.Holds.RemoveAck("tcp4/db#1");
        }
        using var reopened = Open();
        var silence = Assert.Single(reopened.Holds.LoadSilences());
        Assert.Equal(("aaaa0001", T0.AddHours(1), "rack move"), (silence.Id, silence.Ends, silence.Comment));
        Assert.Equal(["http4/*", "*/web"], silence.Patterns);
        Assert.Equal(new Acknowledgement("http4/web#3", "http4/web", T0, "on it"), Assert.Single(reopened.Holds.LoadAcks()));
    }

    [Fact]
    public void The_book_lists_active_silences_forgets_ended_ones_and_expires_by_id()
    {
        var book = new HoldBook(new MemoryHoldStore());
        var first = book.AddSilence(["http4/*"], TimeSpan.FromHours(1), "first", T0);
        var second = book.AddSilence(["db/*"], TimeSpan.FromMinutes(10), "", T0.AddMinutes(1));
        Assert.NotEqual(first.Id, second.Id);
        Assert.True(first.Matches("http4/web"));
        Assert.False(first.Matches("http6/web"));
        Assert.Equal([first.Id, second.Id], book.ActiveSilences(T0.AddMinutes(5)).Select(s => s.Id));
        Assert.Equal([first.Id], book.ActiveSilences(T0.AddMinutes(11)).Select(s => s.Id));
        Assert.False(book.ExpireSilence(second.Id, T0.AddMinutes(12)));
        Assert.True(book.ExpireSilence(first.Id, T0.AddMinutes(12)));
        Assert.Empty(book.ActiveSilences(T0.AddMinutes(12)));
    }

    [Fact]
    public void Only_an_open_incident_can_be_acknowledged_and_closing_it_forgets_the_ack()
    {
        var book = new HoldBook(new MemoryHoldStore());
        var inError = new CheckState("http4/web", CheckStatus.Error, T0, 2, "down", T0, null, null, Incidents: 3);
        var (ack, refusal) = book.Acknowledge("http4/web", inError, "on it", T0);
        Assert.Null(refusal);
        Assert.Equal("http4/web#3", ack!.Incident);
        Assert.True(book.IsAcknowledged("http4/web#3"));
        book.Closed("http4/web#3");
        Assert.False(book.IsAcknowledged("http4/web#3"));
        Assert.Equal("'http4/web' has no open incident (it is not in error)",
            book.Acknowledge("http4/web", inError with { Status = CheckStatus.Retrying }, "", T0).Refusal);
        Assert.NotNull(book.Acknowledge("tcp4/new", null, "", T0).Refusal);
    }
}
