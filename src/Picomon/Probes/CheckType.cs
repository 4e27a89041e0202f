using System.Net.Sockets;

namespace Picomon.Probes;

/// <summary>What a check group names as its targets.</summary>
public enum TargetKind
{
    /// <summary><c>hosts</c> is required (ping, http, smtp, …).</summary>
    Hosts,
    /// <summary><c>zones</c> instead of <c>hosts</c> (dns-zone).</summary>
    Zones,
    /// <summary><c>hosts</c> may be given or not (plugin, exec).</summary>
    OptionalHosts,
}

/// <summary>One check type's registry entry: its config name, its name in mails (<c>{check}</c>),
/// its targets, the address family it probes, the options it takes and how to build its probe.
/// Configuration validation and actor creation both go through this, so a type cannot be half-registered.</summary>
public sealed record CheckType(
    string Name,
    string MailName,
    TargetKind Targets,
    AddressFamily Family,
    IReadOnlyList<OptionSpec> Options,
    Func<CheckOptions, IProbe> CreateProbe);
