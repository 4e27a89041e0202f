namespace Picomon.Probes;

/// <summary>The registry: every check type Picomon knows, one entry per type, declared beside its probe
/// (in the order error messages list the known types).</summary>
public static class CheckTypes
{
    public static readonly IReadOnlyList<CheckType> All =
    [
        ..PingProbe.Types,
        ..HttpProbe.Types,
        ..SmtpProbe.Types,
        ..DnsRecursiveProbe.Types,
        ..DnsZoneProbe.Types,
        ..OpenVpnProbe.Types,
        ..JabberProbe.Types,
        ..TcpProbe.Types,
        ..PluginProbe.Types,
        ..ExecProbe.Types,
    ];

    private static readonly Dictionary<string, CheckType> ByName = All.ToDictionary(t => t.Name);

    public static CheckType? Find(string name) => ByName.GetValueOrDefault(name);
}
