using Picomon.Mail;

namespace Picomon.State;

/// <summary>The state kept in memory only, lost when the process ends: for a run without persistence
/// (benchmarks, actor specs). One lock for the check rows; the outbox has its own.</summary>
public sealed class MemoryStateStore : IStateStore
{
    private readonly Dictionary<string, StoredCheck> _checks = new(StringComparer.Ordinal);
    private readonly MemoryOutbox _outbox = new();
    private readonly Lock _gate = new();

    public IOutbox Outbox => _outbox;

    public IHoldStore Holds { get; } = new MemoryHoldStore();

    public IReadOnlyList<StoredCheck> LoadChecks()
    {
        lock (_gate) return _checks.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    }

    public void SaveCheck(StoredCheck check)
    {
        lock (_gate) _checks[check.Id] = check;
    }

    public void CommitTransition(StoredCheck check, IReadOnlyList<OutgoingMail> mails)
    {
        lock (_gate)
        {
            _checks[check.Id] = check;
            foreach (var mail in mails) _outbox.Enqueue(mail);
        }
    }

    public void ForgetChecksExcept(IReadOnlyCollection<string> ids)
    {
        var keep = ids.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
            foreach (var id in _checks.Keys.Where(id => !keep.Contains(id)).ToList()) _checks.Remove(id);
    }

    public void Dispose()
    {
        // Nothing to close: the state goes with the process.
    }
}
