using Picomon.Checks;

namespace Picomon.State;

/// <summary>Silences and acknowledgements in memory only (<see cref="MemoryStateStore"/>).</summary>
public sealed class MemoryHoldStore : IHoldStore
{
    private readonly Dictionary<string, Silence> _silences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Acknowledgement> _acks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public IReadOnlyList<Silence> LoadSilences()
    {
        lock (_gate) return _silences.Values.OrderBy(s => s.Created).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public void AddSilence(Silence silence)
    {
        lock (_gate) _silences[silence.Id] = silence;
    }

    public bool RemoveSilence(string id)
    {
        lock (_gate) return _silences.Remove(id);
    }

    public IReadOnlyList<Acknowledgement> LoadAcks()
    {
        lock (_gate) return _acks.Values.OrderBy(a => a.Incident, StringComparer.Ordinal).ToList();
    }

    public void AddAck(Acknowledgement ack)
    {
        lock (_gate) _acks[ack.Incident] = ack;
    }

    public void RemoveAck(string incident)
    {
        lock (_gate) _acks.Remove(incident);
    }
}
