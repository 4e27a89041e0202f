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

/// <summary>One check type's registry entry: its config name, its name in mails (<c>{check}</c>), its targets,
/// the address family it probes, how it reads its typed options and how it builds its probe from them.
/// Configuration validation and actor creation both go through this, so a type cannot be half-registered.</summary>
public sealed class CheckType
{
    private readonly Func<OptionReader, CheckOptions> _read;
    private readonly Func<CheckOptions, string, IProbe> _create;

    private CheckType(string name, string mailName, TargetKind targets, AddressFamily family,
        Func<OptionReader, CheckOptions> read, Func<CheckOptions, string, IProbe> create)
    {
        (Name, MailName, Targets, Family, _read, _create) = (name, mailName, targets, family, read, create);
        OptionNames = Probes.OptionNames.Of(read);
    }

    /// <summary>A type whose probe is built from its options alone.</summary>
    public static CheckType Of<TOptions>(string name, string mailName, TargetKind targets, AddressFamily family,
        Func<OptionReader, TOptions> read, Func<TOptions, IProbe> create) where TOptions : CheckOptions =>
        new(name, mailName, targets, family, read, (options, _) => create((TOptions)options));

    /// <summary>A type whose probe also names Picomon's version to the server (HTTP's User-Agent).</summary>
    public static CheckType Of<TOptions>(string name, string mailName, TargetKind targets, AddressFamily family,
        Func<OptionReader, TOptions> read, Func<TOptions, string, IProbe> create) where TOptions : CheckOptions =>
        new(name, mailName, targets, family, read, (options, version) => create((TOptions)options, version));

    public string Name { get; }
    public string MailName { get; }
    public TargetKind Targets { get; }
    public AddressFamily Family { get; }

    /// <summary>The names of the options this type takes, in the order it reads them.</summary>
    public IReadOnlyList<string> OptionNames { get; }

    /// <summary>This type's options, every default applied; wrong values are recorded by <paramref name="reader"/>.</summary>
    public CheckOptions ReadOptions(OptionReader reader) => _read(reader);

    /// <param name="options">Options read by this type's <see cref="ReadOptions"/>.</param>
    /// <param name="version">Picomon's version, for a probe that names its client.</param>
    public IProbe CreateProbe(CheckOptions options, string version) => _create(options, version);

    public override string ToString() => Name;
}
