using Picomon.Checks;

namespace Picomon.State;

/// <summary>The operator's silences and acknowledgements as the aggregator keeps them: what the control socket's
/// <c>silence</c> and <c>ack</c> commands change, checked against the state table and written through the store
/// (<see cref="IHoldStore"/>), so that they survive a restart. Not thread-safe: the aggregator's alone.</summary>
public sealed class HoldBook(IHoldStore store)
{
    /// <summary>Adds a silence of <paramref name="patterns"/> from <paramref name="now"/> for <paramref name="length"/>.</summary>
    public Silence AddSilence(IReadOnlyList<string> patterns, TimeSpan length, string comment, DateTimeOffset now)
    {
        var silence = new Silence(Silence.NewId(ActiveSilences(now).Select(s => s.Id).ToList()), [.. patterns], now, now + length, comment);
        store.AddSilence(silence);
        return silence;
    }

    /// <summary>The silences still active at <paramref name="now"/>, oldest first; the ended ones are forgotten.</summary>
    public IReadOnlyList<Silence> ActiveSilences(DateTimeOffset now)
    {
        var all = store.LoadSilences();
        foreach (var ended in all.Where(s => !s.ActiveAt(now))) store.RemoveSilence(ended.Id);
        return all.Where(s => s.ActiveAt(now)).ToList();
    }

    /// <summary>Ends silence <paramref name="id"/> now; false when no active silence has that id.</summary>
    public bool ExpireSilence(string id, DateTimeOffset now) =>
        ActiveSilences(now).Any(s => s.Id == id) && store.RemoveSilence(id);

    /// <summary>Acknowledges the open incident of <paramref name="state"/>'s check, or says why it cannot.</summary>
    /// <param name="state">The check's row; null when it has not reported yet.</param>
    public (Acknowledgement? Ack, string? Refusal) Acknowledge(string checkId, CheckState? state, string comment, DateTimeOffset now)
    {
        if (state is not { Status: CheckStatus.Error, Incidents: > 0 })
            return (null, $"'{checkId}' has no open incident (it is not in error)");
        var ack = new Acknowledgement(Incident.Id(checkId, state.Incidents), checkId, now, comment);
        store.AddAck(ack);
        return (ack, null);
    }

    /// <summary>Whether <paramref name="incident"/> is acknowledged (its reminders stop).</summary>
    public bool IsAcknowledged(string incident) => store.LoadAcks().Any(a => a.Incident == incident);

    /// <summary>An incident closed: its acknowledgement has done its work.</summary>
    public void Closed(string incident) => store.RemoveAck(incident);
}
