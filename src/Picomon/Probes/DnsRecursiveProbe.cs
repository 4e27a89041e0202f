using System.Net;
using System.Net.Sockets;
using DnsClient;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>dns-rec4</c>/<c>dns-rec6</c>: <c>query</c>, <c>record</c>, <c>port</c>.</summary>
public sealed record DnsRecursiveOptions(string Query, QueryType Record, int Port) : CheckOptions
{
    public static DnsRecursiveOptions Read(OptionReader r) =>
        new(r.Text("query", "."), Enum.Parse<QueryType>(r.Choice("record", DnsRecursiveProbe.RecordTypes, "NS")), r.Port("port", 53));
}

/// <summary><c>dns-rec4</c>/<c>dns-rec6</c>: asks the resolver at the host's address a recursive
/// question and succeeds when it answers NOERROR. Also owns the small DnsClient plumbing
/// (one query to one server, response-code names) that <see cref="DnsZoneProbe"/> reuses.</summary>
public sealed class DnsRecursiveProbe(string query, QueryType record, int port) : IProbe
{
    /// <summary>The record types a check may ask for (names of DnsClient's <see cref="QueryType"/>).</summary>
    public static readonly string[] RecordTypes =
        ["A", "AAAA", "ANY", "CAA", "CNAME", "DNSKEY", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SRV", "SSHFP", "TLSA", "TXT"];

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Type("dns-rec4", "CheckDNSRec4", AddressFamily.InterNetwork),
        Type("dns-rec6", "CheckDNSRec6", AddressFamily.InterNetworkV6),
    ];

    private static CheckType Type(string name, string mailName, AddressFamily family) =>
        CheckType.Of(name, mailName, TargetKind.Hosts, family, DnsRecursiveOptions.Read,
            o => new DnsRecursiveProbe(o.Query, o.Record, o.Port));

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        if (target.Address is null) return ProbeResult.Fail("no address to query");
        var (address, error) = await ProbeNet.ResolveAsync(target.Address, target.Family, cancellationToken);
        if (address is null) return ProbeResult.Fail(error!);
        var server = new IPEndPoint(address, port);
        var (response, noReply) = await QueryAsync(server, recursion: true, query, record, cancellationToken);
        if (response is null) return ProbeResult.Fail($"no reply from {server}{noReply}");
        var code = response.Header.ResponseCode;
        return code == DnsHeaderResponseCode.NoError
            ? ProbeResult.Ok
            : ProbeResult.Fail($"{CodeName(code)} for {query} {record}");
    }

    /// <summary>One question to one server, no retry, no cache. Without a response, NoReply says why:
    /// "" for silence until the token fired (DnsClient reports that cancellation as a timeout), or
    /// ": Connection refused" and the like for a socket error.</summary>
    internal static async Task<(IDnsQueryResponse? Response, string NoReply)> QueryAsync(
        IPEndPoint server, bool recursion, string name, QueryType type, CancellationToken cancellationToken)
    {
        var options = new LookupClientOptions(new NameServer(server))
        {
            // The check's timeout is the token; DnsClient's own timer would only race it.
            Timeout = Timeout.InfiniteTimeSpan,
            Retries = 0,
            UseCache = false,
            ThrowDnsErrors = false,
            Recursion = recursion,
        };
        try
        {
            return (await new LookupClient(options).QueryAsync(name, type, QueryClass.IN, cancellationToken), "");
        }
        catch (DnsResponseException e)
        {
            return e.InnerException is SocketException s && !cancellationToken.IsCancellationRequested
                ? (null, $": {NetErrors.Describe(s)}")
                : (null, "");
        }
    }

    /// <summary>The usual mnemonic of a DNS response code: NXDOMAIN, SERVFAIL, REFUSED, …</summary>
    internal static string CodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => code.ToString().ToUpperInvariant(),
    };
}
