using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary><c>notify.channel-defaults</c>: the value of each channel type's optional keys for the channels that do not
/// set them. Written once, in reference.conf; read once (the operator may change them), so that an error in them is
/// reported once, at its own key.</summary>
/// <param name="MailSubjectTemplate">A mail channel's <c>subject-tpl</c>: <c>emails.subject-tpl</c> when reference.conf's
/// null is kept.</param>
internal sealed record ChannelDefaults(
    string MailSubjectTemplate,
    string WebhookMethod,
    TimeSpan WebhookTimeout,
    WebhookFormat WebhookFormat,
    TimeSpan ExecTimeout)
{
    /// <summary>The keys that have a default, by channel type.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> KeysByType = new Dictionary<string, string[]>
    {
        ["mail"] = ["subject-tpl"],
        ["webhook"] = ["method", "timeout", "format"],
        ["exec"] = ["timeout"],
    };

    public static ChannelDefaults Read(SettingsSection defaults, EmailSettings emails, ErrorList errors)
    {
        errors.RejectUnknownKeys(defaults.Merged, defaults.Path, [.. KeysByType.Keys]);
        var (mail, webhook, exec) = (Type(defaults, "mail", errors), Type(defaults, "webhook", errors), Type(defaults, "exec", errors));
        return new ChannelDefaults(
            mail["subject-tpl"] is HoconScalar { Kind: HoconScalarKind.Null } ? emails.SubjectTemplate
                : mail.Read("subject-tpl", (v, p, e) => e.Text(v, p)),
            webhook.Read("method", ChannelReader.Method),
            webhook.ReadValue<TimeSpan>("timeout", SettingsReader.PositiveDuration),
            webhook.ReadValue<WebhookFormat>("format", ChannelReader.Format),
            exec.ReadValue<TimeSpan>("timeout", SettingsReader.PositiveDuration));
    }

    private static SettingsSection Type(SettingsSection defaults, string type, ErrorList errors)
    {
        var section = defaults.Section(type);
        errors.RejectUnknownKeys(section.Merged, section.Path, KeysByType[type]);
        return section;
    }
}
