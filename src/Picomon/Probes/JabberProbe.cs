using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>jabber4</c>/<c>jabber6</c>.</summary>
public sealed record JabberOptions(int Port) : CheckOptions
{
    public static JabberOptions Read(OptionReader r) => new(r.Port("port", 5222));
}

/// <summary>The <c>jabber4</c>/<c>jabber6</c> check: sends an XMPP client stream header and succeeds when
/// the server opens its stream in reply, unless it answers with a stream error (e.g. host-unknown: this
/// server does not serve the name the header asked for). The header's <c>to</c> is the target's name when
/// that is a DNS name, else its address. A server that opens its stream and then sends nothing more
/// (no features, no error) is read until the timeout.</summary>
public sealed partial class JabberProbe(int port) : IProbe
{
    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Entry("jabber4", "CheckJabber4", AddressFamily.InterNetwork),
        Entry("jabber6", "CheckJabber6", AddressFamily.InterNetworkV6),
    ];

    private static CheckType Entry(string name, string mailName, AddressFamily family) =>
        CheckType.Of(name, mailName, TargetKind.Hosts, family, JabberOptions.Read, o => new JabberProbe(o.Port));

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (opened, error) = await ProbeNet.OpenAsync(target, port, noDelay: true, cancellationToken);
        if (opened is null) return ProbeResult.Fail(error!);
        await using var stream = opened;
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(StreamHeader(target)), cancellationToken);
            var (_, reply) = await TcpProbe.ReadUntilAsync(stream, ReplyComplete().IsMatch, cancellationToken);
            return Judge(reply);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return ProbeResult.Fail(NetErrors.Describe(e));
        }
    }

    internal static string StreamHeader(ProbeTarget target)
    {
        var to = Uri.CheckHostName(target.Name) == UriHostNameType.Dns ? target.Name : target.Address;
        return "<?xml version='1.0'?><stream:stream to='" + SecurityElement.Escape(to) + "' xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    }

    private static ProbeResult Judge(string reply)
    {
        var streamError = StreamError().Match(reply);
        if (streamError.Success)
        {
            var text = ErrorText().Match(reply);
            return ProbeResult.Fail($"XMPP stream error: {streamError.Groups[1].Value}"
                + (text.Success ? $" ({text.Groups[1].Value.Trim()})" : ""));
        }
        if (reply.Contains("<stream:stream", StringComparison.Ordinal)) return ProbeResult.Ok;
        return ProbeResult.Fail(reply.Length == 0
            ? "connection closed without reply"
            : $"no XMPP stream in reply: {Excerpt.FirstLine(reply)}");
    }

    /// <summary>After the server's stream header comes its features or an error: enough to judge.</summary>
    [GeneratedRegex("<stream:features|</stream:error>|<stream:error/>|</stream:stream>")]
    private static partial Regex ReplyComplete();

    [GeneratedRegex(@"<stream:error>\s*<([A-Za-z-]+)")]
    private static partial Regex StreamError();

    [GeneratedRegex(@"<text\b[^>]*>([^<]{1,200})</text>")]
    private static partial Regex ErrorText();
}
