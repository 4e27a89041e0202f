using Picomon.Mail;

namespace Picomon.State;

/// <summary>Where what a restart must not lose lives (SPEC §8): each check's durable state and the outbox.
/// Called by the aggregator (check rows, transitions) and by the Mailer (the outbox), from their threads:
/// implementations are thread-safe. After it is open, no call throws: a failing write is logged and kept
/// in memory, to be written again later. Reads are served from memory.</summary>
public interface IStateStore : IDisposable
{
    /// <summary>The outbox the Mailer sends from, with every mail that was queued or refused before.</summary>
    IOutbox Outbox { get; }

    /// <summary>The silences and acknowledgements given at run time.</summary>
    IHoldStore Holds { get; }

    /// <summary>Every check remembered, in id order.</summary>
    IReadOnlyList<StoredCheck> LoadChecks();

    /// <summary>Remembers a check's state after a run, replacing what was remembered for its id.</summary>
    void SaveCheck(StoredCheck check);

    /// <summary>Remembers a check's state after a transition and queues the mails it caused, at the end of
    /// the outbox, all or nothing, and durably (on disk when it returns): the state that says "Problem sent"
    /// is never kept without its mail, nor the mail without the state.</summary>
    void CommitTransition(StoredCheck check, IReadOnlyList<OutgoingMail> mails);

    /// <summary>Forgets every check whose id is not in <paramref name="ids"/> (checks that left the configuration).</summary>
    void ForgetChecksExcept(IReadOnlyCollection<string> ids);
}
