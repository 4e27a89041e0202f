namespace Picomon.Tests.Support;

/// <summary>A fact that is skipped, saying why, on a machine without an IPv6 loopback address.</summary>
public sealed class NetIPv6FactAttribute : FactAttribute
{
    public NetIPv6FactAttribute()
    {
        if (!NetLoopback.HasIPv6) Skip = "IPv6 loopback (::1) is not available on this machine";
    }
}
