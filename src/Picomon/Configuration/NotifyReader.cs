using Picomon.Configuration.Hocon;
using Picomon.Notifications;

namespace Picomon.Configuration;

/// <summary>Reads <c>picomon.notify</c> and each check group's <c>channels</c> into <see cref="NotifySettings"/>.
/// Every default is in reference.conf, each channel type's under <c>channel-defaults</c>.</summary>
internal static class NotifyReader
{
    private static readonly string[] Keys =
        ["channels", "default-channels", "group-by", "group-wait", "group-interval", "repeat-interval", "retry-timeout",
         "digest-subject-tpl", "channel-defaults"];

    /// <param name="configured">The operator's file has a <c>notify</c> block.</param>
    /// <param name="groups">The group of each check, whose <c>channels</c> override the default ones.</param>
    public static NotifySettings Read(SettingsSection notify, bool configured, EmailSettings emails,
        IReadOnlyList<CheckDefinition> checks, IReadOnlyDictionary<string, CheckGroup> groups, ErrorList errors)
    {
        errors.RejectUnknownKeys(notify.Merged, notify.Path, Keys);
        var section = notify.Section("channels");
        var channelDefaults = ChannelDefaults.Read(notify.Section("channel-defaults"), emails, errors);
        var channels = new List<ChannelSettings>();
        foreach (var (name, value) in section.Merged.Fields)
            if (ChannelReader.Read(name, value, section.KeyPath(name), channelDefaults, errors) is { } channel) channels.Add(channel);
        var implicitMail = section.Merged.Fields.Count == 0;
        if (implicitMail) channels.Add(new MailChannelSettings(NotifySettings.ImplicitChannel, emails.To, emails.SubjectTemplate));
        // Names of broken channels count as defined: their own errors say what is wrong with them.
        var names = section.Merged.Fields.Select(f => f.Key).Concat(implicitMail ? [NotifySettings.ImplicitChannel] : []).ToList();
        var defaults = notify.Read("default-channels", ChannelNames(names));
        if (implicitMail && defaults.Count == 0) defaults = [NotifySettings.ImplicitChannel];
        return new NotifySettings(
            configured,
            channels.OrderBy(c => c.Name, StringComparer.Ordinal).ToList(),
            Routes(checks, groups, names, defaults, errors),
            notify.ReadValue<GroupBy>("group-by", GroupByOf),
            notify.ReadValue<TimeSpan>("group-wait", NonNegative("0 sends each notification at once")),
            notify.ReadValue<TimeSpan>("group-interval", SettingsReader.PositiveDuration),
            notify.ReadValue<TimeSpan>("repeat-interval", NonNegative("0 sends no reminder")),
            notify.ReadValue<TimeSpan>("retry-timeout", SettingsReader.PositiveDuration),
            notify.Read("digest-subject-tpl", DigestSubject));
    }

    /// <summary>With channels of its own, every check needs some: its group's, or the default ones.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Routes(IReadOnlyList<CheckDefinition> checks,
        IReadOnlyDictionary<string, CheckGroup> groups, IReadOnlyList<string> names, IReadOnlyList<string> defaults, ErrorList errors)
    {
        var routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var read = ChannelNames(names);
        foreach (var check in checks)
        {
            var (group, path) = groups[check.Id];
            if (group["channels"] is { } own)
                routes[check.Id] = read(own, $"{path}.channels", errors) ?? [];
            else
            {
                if (defaults.Count == 0)
                    errors.Add(group, path, "names no channel and notify.default-channels is empty: give it 'channels' or set a default");
                routes[check.Id] = defaults;
            }
        }
        return routes;
    }

    private static SettingsSection.Reader<IReadOnlyList<string>> ChannelNames(IReadOnlyList<string> defined) => (value, path, errors) =>
    {
        var list = errors.TextList(value, path);
        foreach (var name in (list ?? []).Where(n => !defined.Contains(n)))
        {
            var suggestion = ErrorList.Suggest(name, defined);
            errors.Add(value, path, suggestion is null
                ? $"undefined channel '{name}' (defined: {(defined.Count == 0 ? "none" : string.Join(", ", defined))})"
                : $"undefined channel '{name}', did you mean '{suggestion}'?");
        }
        return list?.Where(defined.Contains).Distinct().ToList();
    };

    private static GroupBy? GroupByOf(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        if (Enum.TryParse<GroupBy>(text, ignoreCase: true, out var by) && !text.Any(char.IsDigit)) return by;
        errors.Add(value, path, $"must be one of check, host, type, all, got '{text}'");
        return null;
    }

    private static SettingsSection.Reader<TimeSpan?> NonNegative(string zeroMeans) => (value, path, errors) =>
    {
        var duration = errors.Duration(value, path);
        if (duration is null || duration >= TimeSpan.Zero) return duration;
        errors.Add(value, path, $"must not be negative ({zeroMeans})");
        return null;
    };

    private static string? DigestSubject(HoconValue value, string path, ErrorList errors)
    {
        var template = errors.Text(value, path);
        foreach (var unknown in Placeholders.Used(template ?? "").Except(Placeholders.DigestSubject))
            errors.Add(value, path, $"unknown placeholder '{{{unknown}}}' (known: {string.Join(" ", Placeholders.DigestSubject.Select(p => $"{{{p}}}"))})");
        return template;
    }
}
