using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Picomon.Configuration.Hocon;
using Picomon.Notifications;

namespace Picomon.Configuration;

/// <summary>Reads one entry of <c>notify.channels</c>. Each channel type's keys are declared here; a key the channel
/// does not set takes its type's default (<see cref="ChannelDefaults"/>, from reference.conf). URLs and header values
/// may hold secrets: no error quotes them.</summary>
internal static partial class ChannelReader
{
    private static readonly Dictionary<string, string[]> KeysByType = new()
    {
        ["mail"] = ["type", "to", "subject-tpl"],
        ["webhook"] = ["type", "url", "method", "headers", "timeout", "format", "body"],
        ["exec"] = ["type", "command", "timeout"],
    };

    private static readonly string[] Methods = ["POST", "PUT", "PATCH"];

    // Set by HttpClient itself from the request; a configured value would contradict it.
    private static readonly string[] ReservedHeaders = ["Host", "Content-Length", "Transfer-Encoding", "Connection"];

    /// <returns>The channel, or null when it is too broken to describe (its errors are recorded).</returns>
    public static ChannelSettings? Read(string name, HoconValue value, string path, ChannelDefaults defaults, ErrorList errors)
    {
        if (errors.Object(value, path) is not { } channel) return null;
        if (!ChannelName().IsMatch(name))
            errors.Add(value, path, "a channel name may only use letters, digits, '-' and '_'");
        if (ReadType(channel, path, errors) is not { } type) return null;
        errors.RejectUnknownKeys(channel, path, KeysByType[type]);
        var at = new KeyReader(channel, path, errors);
        return type switch
        {
            "mail" => new MailChannelSettings(name, at.Required("to", Recipients) ?? [],
                at.Optional("subject-tpl", (v, p, e) => e.Text(v, p)) ?? defaults.MailSubjectTemplate),
            "webhook" => ReadWebhook(name, at, defaults),
            _ => new ExecChannelSettings(name, at.Required("command", Command) ?? ["?"],
                at.Optional("timeout", PositiveDuration) ?? defaults.ExecTimeout),
        };
    }

    private static IReadOnlyList<string>? Recipients(HoconValue value, string path, ErrorList errors)
    {
        var to = SettingsReader.MailAddresses(value, path, errors);
        if (to is not { Count: 0 }) return to;
        errors.Add(value, path, "must name at least one address");
        return null;
    }

    private static string? ReadType(HoconObject channel, string path, ErrorList errors)
    {
        if (channel["type"] is not { } value)
        {
            errors.Add(channel, path, "a channel needs a 'type' (mail, webhook or exec)");
            return null;
        }
        var type = errors.Text(value, $"{path}.type");
        if (type is null || KeysByType.ContainsKey(type)) return type;
        var suggestion = ErrorList.Suggest(type, KeysByType.Keys);
        errors.Add(value, $"{path}.type", suggestion is null
            ? $"unknown channel type '{type}' (known: mail, webhook, exec)"
            : $"unknown channel type '{type}', did you mean '{suggestion}'?");
        return null;
    }

    private static WebhookChannelSettings ReadWebhook(string name, KeyReader at, ChannelDefaults defaults)
    {
        var url = at.Required("url", Url) ?? new Uri("http://invalid./");
        var headers = at.Optional("headers", Headers) ?? [];
        // user:password@ in the URL is sent as HTTP basic authentication, as curl does; it never reaches a log.
        if (url.UserInfo.Length > 0)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo)));
            if (!headers.Any(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
                headers = [.. headers, new("Authorization", $"Basic {credentials}")];
            url = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
        }
        var format = at.Optional("format", Format) ?? defaults.WebhookFormat;
        var body = at.Optional("body", TemplateBody);
        if (format == WebhookFormat.Template && body is null)
            at.Errors.Add(at.Object, at.Path, "format = template needs a 'body'");
        if (format != WebhookFormat.Template && body is not null)
            at.Errors.Add(at.Object["body"]!, $"{at.Path}.body", "only used with format = template");
        return new WebhookChannelSettings(name, url, at.Optional("method", Method) ?? defaults.WebhookMethod, headers,
            at.Optional("timeout", PositiveDuration) ?? defaults.WebhookTimeout, format, format == WebhookFormat.Template ? body : null);
    }

    private static Uri? Url(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        // The URL is not quoted back: its path or query is often the secret (a Slack or ntfy token).
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
            return url;
        errors.Add(value, path, "must be an absolute http:// or https:// URL");
        return null;
    }

    internal static string? Method(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null || Methods.Contains(text.ToUpperInvariant())) return text?.ToUpperInvariant();
        errors.Add(value, path, $"must be one of {string.Join(", ", Methods)}, got '{text}'");
        return null;
    }

    internal static WebhookFormat? Format(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        if (Enum.TryParse<WebhookFormat>(text, ignoreCase: true, out var format) && !text.Any(char.IsDigit)) return format;
        errors.Add(value, path, $"must be one of picomon, alertmanager, template, got '{text}'");
        return null;
    }

    private static string? TemplateBody(HoconValue value, string path, ErrorList errors)
    {
        var body = errors.Text(value, path);
        foreach (var unknown in Placeholders.Used(body ?? "").Except(Placeholders.TemplateBody))
        {
            var suggestion = ErrorList.Suggest(unknown, Placeholders.TemplateBody);
            errors.Add(value, path, suggestion is null
                ? $"unknown placeholder '{{{unknown}}}' (known: {string.Join(" ", Placeholders.TemplateBody.Select(p => $"{{{p}}}"))})"
                : $"unknown placeholder '{{{unknown}}}', did you mean '{{{suggestion}}}'?");
        }
        return body;
    }

    private static IReadOnlyList<KeyValuePair<string, string>>? Headers(HoconValue value, string path, ErrorList errors)
    {
        if (errors.Object(value, path) is not { } headers) return null;
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, field) in headers.Fields)
        {
            var at = ErrorList.Join(path, name);
            // A header value is often a token: check its type and shape, never quote it.
            if (field is not HoconScalar { Kind: not HoconScalarKind.Null } scalar)
                errors.Add(field, at, $"expected a string, got {field.KindName}");
            else if (!HeaderName().IsMatch(name))
                errors.Add(field, at, "not a valid HTTP header name");
            else if (ReservedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                errors.Add(field, at, "set by Picomon itself, cannot be configured");
            else if (scalar.Text.Any(c => c is '\r' or '\n' or '\0'))
                errors.Add(field, at, "must be a single line");
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && !MediaTypeHeaderValue.TryParse(scalar.Text, out _))
                errors.Add(field, at, "not a valid media type (like application/json)");
            else
                result.Add(new(name, scalar.Text));
        }
        return result;
    }

    private static IReadOnlyList<string>? Command(HoconValue value, string path, ErrorList errors)
    {
        var command = errors.TextList(value, path);
        if (command is null || (command.Count > 0 && command[0].Length > 0)) return command;
        errors.Add(value, path, "must not be empty");
        return null;
    }

    private static TimeSpan? PositiveDuration(HoconValue value, string path, ErrorList errors) =>
        SettingsReader.PositiveDuration(value, path, errors);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ChannelName();

    // RFC 9110 token.
    [GeneratedRegex(@"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();

    /// <summary>Reads the keys of one channel object; a required key that is absent is reported at the channel.</summary>
    private sealed class KeyReader(HoconObject channel, string path, ErrorList errors)
    {
        public HoconObject Object => channel;
        public string Path => path;
        public ErrorList Errors => errors;

        public T? Optional<T>(string key, Func<HoconValue, string, ErrorList, T?> read) =>
            channel[key] is { } value ? read(value, ErrorList.Join(path, key), errors) : default;

        public T? Required<T>(string key, Func<HoconValue, string, ErrorList, T?> read)
        {
            if (channel[key] is not null) return Optional(key, read);
            var type = channel["type"] is HoconScalar s ? s.Text : "this";
            errors.Add(channel, path, $"a {type} channel needs '{key}'");
            return default;
        }
    }
}
