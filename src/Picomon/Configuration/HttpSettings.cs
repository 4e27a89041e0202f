using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Picomon.Configuration.Hocon;
using Picomon.Probes;

namespace Picomon.Configuration;

/// <summary><c>picomon.http</c>: the read-only HTTP front end (status page, API, metrics, health), off when
/// <see cref="Listen"/> is null. Its password is a secret: never log it.</summary>
public sealed record HttpSettings(HttpEndpoint? Listen, BasicAuth? BasicAuth, bool AllowRemoteUnauthenticated)
{
    public static readonly HttpSettings Off = new(null, null, false);
}

/// <summary>An address and port to listen on; <c>localhost</c> in the configuration is 127.0.0.1.</summary>
public sealed record HttpEndpoint(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary><c>127.0.0.1:9325</c>, <c>[::1]:9325</c>.</summary>
    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}

/// <summary>The one user allowed in (HTTP basic authentication).</summary>
public sealed record BasicAuth(string User, string Password)
{
    // Records print every property; keep the password out of any log line or exception text.
    public override string ToString() => $"BasicAuth {{ User = {User}, Password = *** }}";
}

/// <summary>Reads <c>picomon.http</c>. A non-loopback <c>listen</c> needs <c>basic-auth</c> or the explicit
/// <c>allow-remote-unauthenticated = true</c>: nobody should publish the list of their hosts by mistake.</summary>
internal static class HttpSettingsReader
{
    private static readonly string[] Keys = ["listen", "basic-auth", "allow-remote-unauthenticated"];
    private static readonly string[] AuthKeys = ["user", "password"];

    public static HttpSettings Read(SettingsSection http, ErrorList errors)
    {
        errors.RejectUnknownKeys(http.Merged, http.Path, Keys);
        // null (the reference value) is off; a wrong value is reported and reads as off.
        var listen = http["listen"] is HoconScalar { Kind: HoconScalarKind.Null } ? null : Endpoint(http["listen"], http.KeyPath("listen"), errors);
        var auth = ReadAuth(http.Merged["basic-auth"], http.KeyPath("basic-auth"), errors);
        var allowRemote = http.ReadValue<bool>("allow-remote-unauthenticated", Boolean);
        // A basic-auth block with an error of its own is reported as such, not as missing.
        var authGiven = http.Merged["basic-auth"] is not (null or HoconScalar { Kind: HoconScalarKind.Null });
        if (listen is { IsLoopback: false } && !authGiven && !allowRemote)
            errors.Add(http["listen"], http.KeyPath("listen"),
                $"{listen} is not a loopback address: set http.basic-auth {{ user, password }}, or http.allow-remote-unauthenticated = true to serve it to anyone");
        return new HttpSettings(listen, auth, allowRemote);
    }

    /// <summary><c>host:port</c> with an IP address or <c>localhost</c> as host (IPv6 as <c>[addr]:port</c>); port 0
    /// is any free port (the one taken is logged at start).</summary>
    private static HttpEndpoint? Endpoint(HoconValue value, string path, ErrorList errors)
    {
        var text = errors.Text(value, path);
        if (text is null) return null;
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? "" : text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':')) host = "";
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : HostPort.IsLiteral(host) && HostPort.IsValidAddress(host, AddressFamily.Unspecified) ? IPAddress.Parse(host) : null;
        if (address is not null && (address.AddressFamily == AddressFamily.InterNetworkV6) == text.StartsWith('[')
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            return new HttpEndpoint(address, port);
        errors.Add(value, path, $"expected address:port with an IP address or localhost (IPv6 as [addr]:port), got '{text}'");
        return null;
    }

    private static BasicAuth? ReadAuth(HoconValue? value, string path, ErrorList errors)
    {
        // reference.conf leaves it unset: the only key of the block that may be absent.
        if (value is null or HoconScalar { Kind: HoconScalarKind.Null } || errors.Object(value, path) is not { } auth) return null;
        errors.RejectUnknownKeys(auth, path, AuthKeys);
        var user = errors.Text(auth["user"], $"{path}.user");
        if (auth["user"] is null) errors.Add(auth, $"{path}.user", "missing: basic-auth needs a user and a password");
        else if (user is { Length: 0 } || user?.Contains(':') == true)
            errors.Add(auth["user"]!, $"{path}.user", "must be non-empty and without ':'");
        // The password's value is never echoed in an error: only its presence and type are checked.
        string? password = null;
        if (auth["password"] is HoconScalar { Kind: not HoconScalarKind.Null } pw && pw.Text.Length > 0) password = pw.Text;
        else if (auth["password"] is null) errors.Add(auth, $"{path}.password", "missing: basic-auth needs a user and a password");
        else errors.Add(auth["password"]!, $"{path}.password", auth["password"] is HoconScalar { Kind: not HoconScalarKind.Null }
            ? "must not be empty" : $"expected a string, got {auth["password"]!.KindName}");
        return user is { Length: > 0 } && !user.Contains(':') && password is not null ? new BasicAuth(user, password) : null;
    }

    private static bool? Boolean(HoconValue value, string path, ErrorList errors) =>
        errors.ReadValue(value, path, v => (HoconConvert.ToBoolean(v, out var e), e));
}
