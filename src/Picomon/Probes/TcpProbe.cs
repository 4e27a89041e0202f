using System.Buffers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>tcp4</c>/<c>tcp6</c>: <c>port</c> (required), <c>send</c>, <c>expect</c>.</summary>
public sealed record TcpOptions(int Port, string? Send, Pattern? Expect) : CheckOptions
{
    public static TcpOptions Read(OptionReader r) => new(r.RequiredPort("port"), r.Text("send"), r.Pattern("expect"));
}

/// <summary>The <c>tcp4</c>/<c>tcp6</c> check: a TCP connection to <c>port</c> is accepted; with <c>send</c>
/// that text is written, and with <c>expect</c> the reply must match the regex. Also owns the capped
/// read-until-match loop and the reply excerpt that the other line-protocol probes share.</summary>
public sealed class TcpProbe(int port, string? send, Regex? expect) : IProbe
{
    public static IReadOnlyList<CheckType> Types { get; } =
    [
        Entry("tcp4", "CheckTCP4", AddressFamily.InterNetwork),
        Entry("tcp6", "CheckTCP6", AddressFamily.InterNetworkV6),
    ];

    private static CheckType Entry(string name, string mailName, AddressFamily family) =>
        CheckType.Of(name, mailName, TargetKind.Hosts, family, TcpOptions.Read, o => new TcpProbe(o.Port, o.Send, o.Expect?.Regex));

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (opened, error) = await ProbeNet.OpenAsync(target, port, noDelay: false, cancellationToken);
        if (opened is null) return ProbeResult.Fail(error!);
        await using var stream = opened;
        try
        {
            if (send is not null) await stream.WriteAsync(Encoding.UTF8.GetBytes(send), cancellationToken);
            if (expect is null) return ProbeResult.Ok;
            var (matched, reply) = await ReadUntilAsync(stream, expect.IsMatch, cancellationToken);
            if (matched) return ProbeResult.Ok;
            return ProbeResult.Fail(reply.Length == 0
                ? "connection closed without reply"
                : $"reply does not match '{expect}': {Excerpt.FirstLine(reply)}");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return ProbeResult.Fail(NetErrors.Describe(e));
        }
        catch (RegexMatchTimeoutException)
        {
            return ProbeResult.Fail($"matching the reply against '{expect}' took too long");
        }
    }

    /// <summary>Reads until <paramref name="done"/> accepts the text read so far, the peer closes, or
    /// <see cref="ProbeNet.ReadCap"/> bytes have arrived — never more, whatever the peer sends.</summary>
    internal static async Task<(bool Done, string Text)> ReadUntilAsync(
        Stream stream, Func<string, bool> done, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ProbeNet.ReadCap);
        try
        {
            var total = 0;
            var text = "";
            while (total < ProbeNet.ReadCap)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(total, ProbeNet.ReadCap - total), cancellationToken);
                if (n == 0) break;
                total += n;
                text = Encoding.UTF8.GetString(buffer, 0, total);
                if (done(text)) return (true, text);
            }
            return (false, text);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
