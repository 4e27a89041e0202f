using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Picomon.Probes;

/// <summary>The options of <c>dns-zone</c>: <c>ip-version</c>, <c>resolver</c> (a validated <c>host[:port]</c>).</summary>
public sealed record DnsZoneOptions(int IpVersion, string? Resolver) : CheckOptions
{
    public static DnsZoneOptions Read(OptionReader r) =>
        new(r.Choice("ip-version", [0, 4, 6], 0), r.ValidatedText("resolver", DnsZoneProbe.ResolverError));
}

/// <summary><c>dns-zone</c>: finds a zone's name servers through a resolver, asks every address of
/// every one of them (concurrently, recursion off) for the zone's SOA, and succeeds when all answer
/// authoritatively with the same serial. Owns the parsing of the <c>resolver</c> option.</summary>
public sealed class DnsZoneProbe : IProbe
{
    private readonly int _ipVersion;
    private readonly (string Host, int Port)? _resolver;
    private readonly int _nameServerPort;

    public static IReadOnlyList<CheckType> Types { get; } =
    [
        CheckType.Of("dns-zone", "CheckDNSZone", TargetKind.Zones, AddressFamily.Unspecified, DnsZoneOptions.Read,
            o => new DnsZoneProbe(o.IpVersion, o.Resolver)),
    ];

    /// <param name="ipVersion">0 queries the servers' IPv4 and IPv6 addresses, 4 or 6 only that family.</param>
    /// <param name="resolver">A validated <c>host[:port]</c>, or null for the system resolver.</param>
    public DnsZoneProbe(int ipVersion, string? resolver) : this(ipVersion, resolver, 53) { }

    /// <summary>Name servers answer on port 53; tests cannot safely own port 53 on loopback, so they
    /// run their authoritative servers on a free port and pass it here (no config option: in real
    /// life a delegation always means port 53).</summary>
    internal DnsZoneProbe(int ipVersion, string? resolver, int nameServerPort)
    {
        _ipVersion = ipVersion;
        _resolver = resolver is null ? null : HostPort.TryParse(resolver, 53) ?? throw new ArgumentException($"bad resolver '{resolver}'");
        _nameServerPort = nameServerPort;
    }

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var zone = (target.Zone ?? target.Key).TrimEnd('.');
        var (resolver, error) = await ResolverAsync(cancellationToken);
        if (resolver is null) return ProbeResult.Fail(error!);
        var (names, nsError) = await NameServersAsync(resolver, zone, cancellationToken);
        if (names is null) return ProbeResult.Fail(nsError!);
        var servers = await Task.WhenAll(names.Select(n => AddressesAsync(resolver, n, cancellationToken)));
        var problems = servers.Where(s => s.Problem is not null).Select(s => s.Problem!).ToList();
        var answers = await Task.WhenAll(servers.SelectMany(s => s.Addresses.Select(a =>
            SerialAsync(zone, s.Name, a, s.Addresses.Length > 1, cancellationToken))));
        problems.AddRange(answers.Where(a => a.Problem is not null).Select(a => a.Problem!));
        var serials = answers.Where(a => a.Serial is not null).ToList();
        if (serials.Select(a => a.Serial).Distinct().Count() > 1)
            problems.Add("serials differ: " + string.Join(" ", serials.Select(a => $"{a.Label}={a.Serial}")));
        return problems.Count == 0 ? ProbeResult.Ok : ProbeResult.Fail(string.Join("\n", problems));
    }

    private async Task<(IPEndPoint? Server, string? Error)> ResolverAsync(CancellationToken cancellationToken)
    {
        if (_resolver is { } r)
        {
            var (address, error) = await ProbeNet.ResolveAsync(r.Host, AddressFamily.Unspecified, cancellationToken);
            return address is null ? (null, $"resolver {error}") : (new IPEndPoint(address, r.Port), null);
        }
        // Never fall back to a public resolver: without a configured one there is nothing to ask.
        var system = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false).FirstOrDefault();
        return system is null
            ? (null, "no system resolver configured (set 'resolver')")
            : (new IPEndPoint(IPAddress.Parse(system.Address), system.Port), null);
    }

    private static async Task<(List<string>? Names, string? Error)> NameServersAsync(
        IPEndPoint resolver, string zone, CancellationToken cancellationToken)
    {
        var (response, noReply) = await DnsRecursiveProbe.QueryAsync(resolver, true, zone, QueryType.NS, cancellationToken);
        if (response is null) return (null, $"no reply from resolver {resolver}{noReply}");
        if (response.Header.ResponseCode != DnsHeaderResponseCode.NoError)
            return (null, $"{DnsRecursiveProbe.CodeName(response.Header.ResponseCode)} for {zone} NS");
        var names = response.Answers.NsRecords().Select(r => r.NSDName.Value.TrimEnd('.'))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return names.Count == 0 ? (null, $"no NS records for {zone}") : (names, null);
    }

    private async Task<(string Name, IPAddress[] Addresses, string? Problem)> AddressesAsync(
        IPEndPoint resolver, string name, CancellationToken cancellationToken)
    {
        var types = _ipVersion switch { 4 => [QueryType.A], 6 => [QueryType.AAAA], _ => new[] { QueryType.A, QueryType.AAAA } };
        var responses = await Task.WhenAll(types.Select(t => DnsRecursiveProbe.QueryAsync(resolver, true, name, t, cancellationToken)));
        var silent = Array.FindIndex(responses, r => r.Response is null);
        if (silent >= 0) return (name, [], $"{name}: no reply from resolver {resolver}{responses[silent].NoReply}");
        var addresses = responses.SelectMany(r => r.Response!.Answers.OfType<AddressRecord>().Select(a => a.Address))
            .Distinct().ToArray();
        var family = _ipVersion switch { 4 => "IPv4 ", 6 => "IPv6 ", _ => "" };
        return addresses.Length == 0 ? (name, [], $"{name} has no {family}address") : (name, addresses, null);
    }

    private async Task<(string Label, uint? Serial, string? Problem)> SerialAsync(
        string zone, string name, IPAddress address, bool labelAddress, CancellationToken cancellationToken)
    {
        var label = labelAddress ? $"{name}/{address}" : name;
        var server = new IPEndPoint(address, _nameServerPort);
        var (response, noReply) = await DnsRecursiveProbe.QueryAsync(server, false, zone, QueryType.SOA, cancellationToken);
        if (response is null) return (label, null, $"{label}: no reply{noReply}");
        var code = response.Header.ResponseCode;
        if (code != DnsHeaderResponseCode.NoError) return (label, null, $"{name} ({address}): {DnsRecursiveProbe.CodeName(code)}");
        if (!response.Header.HasAuthorityAnswer) return (label, null, $"{name} ({address}) is not authoritative");
        var soa = response.Answers.SoaRecords().FirstOrDefault();
        return soa is null ? (label, null, $"{name} ({address}): no SOA record for {zone}") : (label, soa.Serial, null);
    }

    /// <summary>Why <paramref name="text"/> is not a valid <c>resolver</c>, or null when it is.</summary>
    internal static string? ResolverError(string text) =>
        HostPort.TryParse(text, 53) is null ? $"must be host[:port] (an IPv6 address as [::1]:53), got '{text}'" : null;
}
