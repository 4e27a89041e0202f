using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Picomon.Probes;

/// <summary>Parsing and checking of addresses written in the configuration: <c>host[:port]</c>
/// endpoints (<c>[::1]:25</c> for IPv6) and host addresses (a literal IP or a DNS name). Here, not in
/// Configuration, because a probe option (dns-zone's <c>resolver</c>) is one of them and configuration depends
/// on the probes, never the reverse.</summary>
public static class HostPort
{
    /// <summary>Splits <c>host[:port]</c>; an IPv6 literal needs brackets when a port is given
    /// (<c>[::1]:53</c>), and may stand bare without one (<c>::1</c>).</summary>
    public static (string Host, int Port)? TryParse(string text, int defaultPort)
    {
        string host;
        var port = defaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0) return null;
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out port))) return null;
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return null;
        }
        else if (text.Count(c => c == ':') > 1)
            return IPAddress.TryParse(text, out var bare) && bare.AddressFamily == AddressFamily.InterNetworkV6
                ? (text, defaultPort) : null;
        else if (text.Contains(':'))
        {
            var colon = text.IndexOf(':');
            host = text[..colon];
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)) return null;
        }
        else host = text;
        if (port is < 1 or > 65535) return null;
        return IsValidAddress(host, AddressFamily.Unspecified) ? (host, port) : null;
    }

    /// <summary>A literal IP of <paramref name="family"/> (any when Unspecified), or a syntactically valid DNS name.</summary>
    public static bool IsValidAddress(string text, AddressFamily family)
    {
        if (text.Length == 0) return false;
        if (IPAddress.TryParse(text, out var ip))
            return (family == AddressFamily.Unspecified || ip.AddressFamily == family)
                // IPAddress.TryParse accepts "1" or "1.2" as IPv4 shorthand: only dotted quads count as IPv4 here.
                && (ip.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') == 3);
        // A name made only of digits and dots is a mistyped address, not a host name.
        if (text.All(c => char.IsDigit(c) || c == '.')) return false;
        return Uri.CheckHostName(text) == UriHostNameType.Dns;
    }

    /// <summary>True when <paramref name="text"/> is a literal IP address (of any family).</summary>
    public static bool IsLiteral(string text) => IPAddress.TryParse(text, out _) && text.Any(c => c is '.' or ':');
}
