using Picomon.Checks;

namespace Picomon.State;

/// <summary>The silences and acknowledgements the operator gave at run time, kept across restarts. Part
/// of the state store (same database, same guarantees: thread-safe, reads from memory, no call throws once open).</summary>
public interface IHoldStore
{
    IReadOnlyList<Silence> LoadSilences();

    void AddSilence(Silence silence);

    /// <summary>Removes the silence <paramref name="id"/>; false when there is none.</summary>
    bool RemoveSilence(string id);

    IReadOnlyList<Acknowledgement> LoadAcks();

    /// <summary>Adds or replaces the acknowledgement of its incident.</summary>
    void AddAck(Acknowledgement ack);

    void RemoveAck(string incident);
}
