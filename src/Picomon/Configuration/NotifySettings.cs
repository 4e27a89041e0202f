namespace Picomon.Configuration;

/// <summary><c>picomon.notify</c>: the channels, which checks use which, and how notifications are
/// grouped and repeated. Without a <c>notify</c> block it describes exactly the original behaviour: one implicit
/// mail channel <see cref="ImplicitChannel"/> to <c>emails.to</c>, every transition sent at once, no reminder.</summary>
/// <param name="Configured">The file has a <c>notify</c> block (the <c>-t</c> summary then describes it).</param>
/// <param name="Channels">Every channel, in name order.</param>
/// <param name="Routes">Each configured check's channels (its own <c>channels</c>, else <c>default-channels</c>).</param>
/// <param name="GroupWait">0: each notification goes out at once; else how long a group gathers before its digest.</param>
/// <param name="RepeatInterval">0: no reminders; else the interval of reminders while an incident stays open.</param>
/// <param name="RetryTimeout">The wait before a failed webhook or exec delivery is tried again.</param>
public sealed record NotifySettings(
    bool Configured,
    IReadOnlyList<ChannelSettings> Channels,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Routes,
    GroupBy GroupBy,
    TimeSpan GroupWait,
    TimeSpan GroupInterval,
    TimeSpan RepeatInterval,
    TimeSpan RetryTimeout,
    string DigestSubjectTemplate)
{
    /// <summary>The name of the mail channel <c>emails.to</c> makes when no channel is configured; also the mail
    /// outbox of reports and of the stopped mail.</summary>
    public const string ImplicitChannel = "email";

    /// <summary>The channels check <paramref name="checkId"/> notifies (none for a check not configured).</summary>
    public IReadOnlyList<string> ChannelsOf(string checkId) => Routes.TryGetValue(checkId, out var names) ? names : [];
}

/// <summary>What one group (and so one digest) gathers: notifications of the same check, host, check type, or all.</summary>
public enum GroupBy { Check, Host, Type, All }

/// <summary>One entry of <c>notify.channels</c>: where notifications go. The keys of each type are read by
/// <see cref="ChannelReader"/>; their defaults are in reference.conf (<c>notify.channel-defaults</c>).</summary>
public abstract record ChannelSettings(string Name)
{
    /// <summary>The type's name in the configuration: mail, webhook or exec.</summary>
    public abstract string TypeName { get; }

    /// <summary>One line for <c>picomon -t</c> and the logs; never a secret (no URL path, query or header value).</summary>
    public abstract string Describe();
}

/// <summary>A mail channel: sent through the <c>emails.*</c> SMTP settings.</summary>
public sealed record MailChannelSettings(string Name, IReadOnlyList<string> To, string SubjectTemplate) : ChannelSettings(Name)
{
    public override string TypeName => "mail";

    public override string Describe() => To.Count == 0 ? "mail (no recipient: logged only)" : $"mail to {string.Join(", ", To)}";
}

public enum WebhookFormat { Picomon, Alertmanager, Template }

/// <summary>A webhook channel. <see cref="Url"/> and the header values may hold secrets: never log them
/// (<see cref="RedactedUrl"/> is what may be shown).</summary>
/// <param name="Body">The body template of <see cref="WebhookFormat.Template"/>, else null.</param>
public sealed record WebhookChannelSettings(
    string Name,
    Uri Url,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    TimeSpan Timeout,
    WebhookFormat Format,
    string? Body) : ChannelSettings(Name)
{
    public override string TypeName => "webhook";

    /// <summary>The URL as logs show it: <c>https://host:port/…</c>, without user, path or query.</summary>
    public string RedactedUrl => Redact(Url);

    public static string Redact(Uri url) => $"{url.Scheme}://{url.Host}:{url.Port}/…";

    public override string Describe() => $"webhook {Method} {RedactedUrl} ({Format.ToString().ToLowerInvariant()})";

    // Records print every property; keep the URL and the header values out of any log line or exception text.
    public override string ToString() => $"WebhookChannelSettings {{ Name = {Name}, Url = {RedactedUrl} }}";
}

/// <summary>An exec channel: a program run once per notification (its arguments may hold secrets: only the
/// program is shown).</summary>
public sealed record ExecChannelSettings(string Name, IReadOnlyList<string> Command, TimeSpan Timeout) : ChannelSettings(Name)
{
    public override string TypeName => "exec";

    public override string Describe() => $"exec {Command[0]}";

    public override string ToString() => $"ExecChannelSettings {{ Name = {Name}, Program = {Command[0]} }}";
}
