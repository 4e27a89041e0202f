using System.Net.Sockets;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary>Resolves a check group's <c>hosts</c> or <c>zones</c> into the targets of one check type.</summary>
internal static class CheckTargets
{
    public static List<ProbeTarget> For(
        HoconObject group, string path, CheckType type, IReadOnlyDictionary<string, HostSettings> hosts,
        string? targetName, string? checkName, ErrorList errors)
    {
        var hostsValue = group["hosts"];
        var zonesValue = group["zones"];
        switch (type.Targets)
        {
            case TargetKind.Zones:
                if (hostsValue is not null)
                    errors.Add(hostsValue, $"{path}.hosts", $"check type {type.Name} takes 'zones', not 'hosts'");
                if (zonesValue is null)
                {
                    errors.Add(group, path, $"check type {type.Name} needs 'zones'");
                    return [];
                }
                return Zones(zonesValue, $"{path}.zones", targetName, errors);
            case TargetKind.Hosts when hostsValue is null:
                errors.Add(group, path, $"check type {type.Name} needs 'hosts'");
                return [];
            case TargetKind.OptionalHosts when hostsValue is null:
                return [WithoutHost(group, targetName ?? checkName)];
        }
        if (zonesValue is not null)
            errors.Add(zonesValue, $"{path}.zones", $"check type {type.Name} takes 'hosts', not 'zones'");
        return Hosts(hostsValue!, $"{path}.hosts", type, hosts, targetName, errors);
    }

    private static List<ProbeTarget> Hosts(
        HoconValue value, string path, CheckType type, IReadOnlyDictionary<string, HostSettings> hosts,
        string? targetName, ErrorList errors)
    {
        var targets = new List<ProbeTarget>();
        var names = errors.TextList(value, path);
        if (names is { Count: 0 }) errors.Add(value, path, "must name at least one host");
        foreach (var name in names ?? [])
        {
            var host = hosts.GetValueOrDefault(name) ?? Literal(name);
            if (host is null)
            {
                var suggestion = ErrorList.Suggest(name, hosts.Keys);
                errors.Add(value, path, suggestion is null
                    ? $"undefined host '{name}' (not in picomon.hosts, not an IP address)"
                    : $"undefined host '{name}', did you mean '{suggestion}'?");
                continue;
            }
            var address = type.Family switch
            {
                AddressFamily.InterNetwork => host.IPv4,
                AddressFamily.InterNetworkV6 => host.IPv6,
                _ => host.IPv4 ?? host.IPv6,
            };
            if (address is null)
            {
                var needed = type.Family == AddressFamily.InterNetwork ? "ipv4" : "ipv6";
                errors.Add(value, path, hosts.ContainsKey(name)
                    ? $"host '{name}' has no {needed} address (needed by {type.Name})"
                    : $"'{name}' is not an {(needed == "ipv4" ? "IPv4" : "IPv6")} address (needed by {type.Name})");
                continue;
            }
            targets.Add(new ProbeTarget(name, targetName ?? host.Name, address, type.Family));
        }
        return targets;
    }

    private static HostSettings? Literal(string name)
    {
        if (!HostPort.IsLiteral(name) || !HostPort.IsValidAddress(name, AddressFamily.Unspecified)) return null;
        var v6 = name.Contains(':');
        return new HostSettings(name, v6 ? null : name, v6 ? name : null, name);
    }

    private static List<ProbeTarget> Zones(HoconValue value, string path, string? targetName, ErrorList errors)
    {
        var zones = errors.TextList(value, path);
        if (zones is { Count: 0 }) errors.Add(value, path, "must name at least one zone");
        var targets = new List<ProbeTarget>();
        foreach (var zone in zones ?? [])
        {
            if (HostPort.IsLiteral(zone) || !HostPort.IsValidAddress(zone.TrimEnd('.'), AddressFamily.Unspecified))
                errors.Add(value, path, $"'{zone}' is not a DNS zone name");
            else targets.Add(new ProbeTarget(zone, targetName ?? $"zone '{zone}'", null, AddressFamily.Unspecified, zone));
        }
        return targets;
    }

    /// <summary>A plugin or exec check given no hosts is named after its program (<c>plugin/check_disk</c>);
    /// its target name is <c>target-name</c>, else its <c>name</c>, else the program.</summary>
    private static ProbeTarget WithoutHost(HoconObject group, string? targetName)
    {
        var command = group["command"] is { } c ? HoconConvert.ToTextList(c, out _) : null;
        var program = command is { Count: > 0 } ? Path.GetFileName(command[0]) : "command";
        if (program.Length == 0) program = "command";
        return new ProbeTarget(program, targetName ?? program, null, AddressFamily.Unspecified);
    }
}
