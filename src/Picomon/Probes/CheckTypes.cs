namespace Picomon.Probes;

/// <summary>The registry: every check type Picomon knows, one entry per type, declared beside its probe.</summary>
public static class CheckTypes
{
    public static readonly IReadOnlyList<CheckType> All =
    [
        ..PingProbe.Types,
        ..HttpProbe.Types,
        ..JabberProbe.Types,
        ..OpenVpnProbe.Types,
        ..TcpProbe.Types,
    ];

    private static readonly Dictionary<string, CheckType> ByName = All.ToDictionary(t => t.Name);

    public static CheckType? Find(string name) => ByName.GetValueOrDefault(name);
}
