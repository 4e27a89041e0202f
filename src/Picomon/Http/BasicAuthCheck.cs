using System.Security.Cryptography;
using System.Text;
using Picomon.Configuration;

namespace Picomon.Http;

/// <summary>Checks an <c>Authorization: Basic …</c> header against the configured user and password in constant
/// time: both sides are hashed first (SHA-256 of <c>user:password</c>) and the hashes compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the length of the secret
/// shows in the time an answer takes.</summary>
public sealed class BasicAuthCheck(BasicAuth auth)
{
    /// <summary>The header a 401 answer carries.</summary>
    public const string Challenge = "Basic realm=\"picomon\", charset=\"UTF-8\"";

    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes($"{auth.User}:{auth.Password}"));

    public bool Allows(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var encoded = authorization.AsSpan(scheme.Length).Trim();
        var decoded = new byte[(encoded.Length + 3) / 4 * 3];
        if (!Convert.TryFromBase64Chars(encoded, decoded, out var length)) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(decoded.AsSpan(0, length)), _expected);
    }
}
