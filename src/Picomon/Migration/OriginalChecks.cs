namespace Picomon.Migration;

/// <summary>The original's check classes (its picomon/checks.py), the Picomon type each becomes and the
/// options each one read. An option the original did not read is refused rather than dropped.</summary>
internal static class OriginalChecks
{
    /// <summary>The options every check read (the original's <c>Check.__init__</c>).</summary>
    private static readonly string[] Common = ["every", "error_every", "retry", "timeout", "target_name"];
    private static readonly string[] Http = ["status", "vhost", "string", "url"];
    private static readonly string[] Smtp = ["from_addr", "command", "response"];

    public static readonly IReadOnlyDictionary<string, OriginalCheckClass> Classes = new Dictionary<string, OriginalCheckClass>
    {
        ["CheckPing4"] = new("ping4", Common),
        ["CheckPing6"] = new("ping6", Common),
        ["CheckDNSZone"] = new("dns-zone", [..Common, "ip_version"]),
        ["CheckDNSRec4"] = new("dns-rec4", Common),
        ["CheckDNSRec6"] = new("dns-rec6", Common),
        ["CheckHTTP4"] = new("http4", [..Common, ..Http]),
        ["CheckHTTP6"] = new("http6", [..Common, ..Http]),
        ["CheckHTTPS4"] = new("https4", [..Common, ..Http]),
        ["CheckHTTPS6"] = new("https6", [..Common, ..Http]),
        ["CheckSMTP4"] = new("smtp4", [..Common, ..Smtp]),
        ["CheckSMTP6"] = new("smtp6", [..Common, ..Smtp]),
        ["CheckOpenVPN4"] = new("openvpn4", Common),
        ["CheckOpenVPN6"] = new("openvpn6", Common),
        ["CheckJabber4"] = new("jabber4", Common),
        ["CheckJabber6"] = new("jabber6", Common),
    };

    /// <summary>The original's other classes, which a config can build but which never checked anything.</summary>
    public static string? WhyNotConvertible(string className) => className switch
    {
        "CheckDNSAut" => "CheckDNSAut is unimplemented in the original (it always failed with 'Unimplemented') and cannot be converted; remove it",
        "Check" or "CheckIP" or "Check4" or "Check6" or "CheckDNSRec" or "CheckHTTP" or "CheckHTTPS" or "CheckSMTP"
            or "CheckOpenVPN" or "CheckJabber" => $"{className} is a base class of the original, not a check; use one of {string.Join(", ", Classes.Keys)}",
        _ => null,
    };
}

/// <summary>One original check class: the Picomon <see cref="Type"/> it becomes and the options it read
/// (the original's snake_case names).</summary>
internal sealed record OriginalCheckClass(string Type, IReadOnlyList<string> Options)
{
    /// <summary>dns-zone checks name a zone; every other class a <c>Host</c>.</summary>
    public bool TakesZone => Type == "dns-zone";

    /// <summary>The address a check of this class probes: 4 (the host's ipv4), 6, or 0 (a zone).</summary>
    public int Family => TakesZone ? 0 : Type[^1] - '0';
}
