using Picomon.Checks;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>The aggregator's book of silences and acknowledgements (<see cref="HoldBook"/>); the stores keep them
/// across a reopen (<see cref="StateStoreContract"/>).</summary>
public sealed class HoldStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(1));

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
