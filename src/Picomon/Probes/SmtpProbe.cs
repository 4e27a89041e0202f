using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>The options of <c>smtp4</c>/<c>smtp6</c>: <c>from-addr</c>, <c>command</c>, <c>response</c>, <c>port</c>.
/// A line break in <c>from-addr</c> or <c>command</c> would smuggle extra SMTP commands into the conversation.</summary>
public sealed record SmtpOptions(string FromAddr, string? Command, Pattern Response, int Port) : CheckOptions
{
    public static SmtpOptions Read(OptionReader r) =>
        new(r.ValidatedText("from-addr", SingleLine, "picomon@localhost.local"), r.ValidatedText("command", SingleLine),
            r.Pattern("response", "^250"), r.Port("port", 25));

    private static string? SingleLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') >= 0 ? "must be a single line" : null;
}

/// <summary><c>smtp4</c>/<c>smtp6</c>: speaks SMTP by hand — greeting, EHLO (HELO fallback),
/// MAIL FROM, the optional <c>command</c> whose reply must match <c>response</c>, QUIT — so a failure
/// names the step that failed. Every reply is read line by line under one <see cref="ProbeNet.ReadCap"/> budget.</summary>
public sealed class SmtpProbe(SmtpOptions options) : IProbe
{
    public static IReadOnlyList<CheckType> Types { get; } =
    [
        CheckType.Of("smtp4", "CheckSMTP4", TargetKind.Hosts, AddressFamily.InterNetwork, SmtpOptions.Read, o => new SmtpProbe(o)),
        CheckType.Of("smtp6", "CheckSMTP6", TargetKind.Hosts, AddressFamily.InterNetworkV6, SmtpOptions.Read, o => new SmtpProbe(o)),
    ];

    private static readonly Lazy<string> LocalName = new(() =>
    {
        var ip = IPGlobalProperties.GetIPGlobalProperties();
        return ip.DomainName is { Length: > 0 } domain && !ip.HostName.Contains('.') ? $"{ip.HostName}.{domain}" : ip.HostName;
    });

    public async Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var (opened, error) = await ProbeNet.OpenAsync(target, options.Port, noDelay: true, cancellationToken);
        if (opened is null) return ProbeResult.Fail(error!);
        await using var stream = opened;
        var session = new Session(stream, cancellationToken);
        try
        {
            var failure = await ConverseAsync(session);
            if (failure is null) await session.QuitPolitelyAsync();
            return failure is null ? ProbeResult.Ok : ProbeResult.Fail(failure);
        }
        catch (Exception e) when (e is IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail(NetErrors.Describe(e));
        }
    }

    /// <summary>The conversation up to QUIT; returns the failure message, or null when every step passed.</summary>
    private async Task<string?> ConverseAsync(Session session)
    {
        var greeting = await session.ReadReplyAsync("greeting");
        if (greeting.Failure is { } f1) return f1;
        if (greeting.Code != 220) return $"unexpected greeting: {greeting.Shown}";

        var ehlo = await session.CommandAsync($"EHLO {LocalName.Value}", "EHLO");
        if (ehlo.Failure is { } f2) return f2;
        if (ehlo.Code is >= 500 and < 600)
        {
            var helo = await session.CommandAsync($"HELO {LocalName.Value}", "HELO");
            if (helo.Failure is { } f3) return f3;
            if (helo.Code != 250) return $"EHLO and HELO rejected: {helo.Shown}";
        }
        else if (ehlo.Code != 250) return $"EHLO rejected: {ehlo.Shown}";

        var mail = await session.CommandAsync($"MAIL FROM:<{options.FromAddr}>", "MAIL FROM");
        if (mail.Failure is { } f4) return f4;
        if (mail.Code != 250) return $"MAIL FROM rejected: {mail.Shown}";

        if (options.Command is not { } command) return null;
        var reply = await session.CommandAsync(command, $"'{command}'");
        if (reply.Failure is { } f5) return f5;
        return options.Response.Regex.IsMatch(reply.Text) ? null : $"reply to '{command}' does not match '{options.Response}': {reply.Shown}";
    }

    /// <summary>A reply: its code (null when the first line does not start with one), all its lines, and,
    /// instead, a failure when the server closed or exceeded the read budget.</summary>
    private sealed record Reply(int? Code, string Text, string? Failure = null)
    {
        public string Shown => Excerpt.FirstLine(Text);
    }

    /// <summary>One connection's line reader and writer, with the read budget shared by every reply.</summary>
    private sealed class Session(Stream stream, CancellationToken cancellationToken)
    {
        private readonly byte[] _buffer = new byte[4096];
        private readonly MemoryStream _line = new();
        private int _start, _end, _budget = ProbeNet.ReadCap;

        public async Task<Reply> CommandAsync(string command, string step)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken);
            return await ReadReplyAsync(step);
        }

        /// <summary>Reads lines until one is not a continuation (<c>250-…</c>) line.</summary>
        public async Task<Reply> ReadReplyAsync(string step)
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ReadLineAsync();
                if (line is null)
                    return new Reply(null, "", _budget <= 0
                        ? $"reply exceeds {ProbeNet.ReadCap / 1024} KiB during {step}"
                        : $"connection closed by server during {step}");
                lines.Add(line);
                var continued = line.Length > 3 && line[3] == '-' && char.IsAsciiDigit(line[0]);
                if (!continued) break;
            }
            var first = lines[0];
            int? code = first.Length >= 3 && int.TryParse(first.AsSpan(0, 3), out var c) && (first.Length == 3 || first[3] is ' ' or '-')
                ? c : null;
            return new Reply(code, string.Join('\n', lines));
        }

        /// <summary>Sends QUIT and reads its reply, ignoring a server that hangs up rudely instead.</summary>
        public async Task QuitPolitelyAsync()
        {
            try { await CommandAsync("QUIT", "QUIT"); }
            catch (Exception e) when (e is IOException or SocketException) { /* the checks all passed already */ }
        }

        /// <summary>One line without its CR LF, or null at end of stream or when the budget is spent.</summary>
        private async Task<string?> ReadLineAsync()
        {
            _line.SetLength(0);
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = newline < 0 ? _end : newline;
                _line.Write(_buffer, _start, stop - _start);
                _start = newline < 0 ? _end : newline + 1;
                if (newline >= 0) return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length).TrimEnd('\r');
                if (_budget <= 0) return null;
                _start = 0;
                _end = await stream.ReadAsync(_buffer.AsMemory(0, Math.Min(_buffer.Length, _budget)), cancellationToken);
                _budget -= _end;
                if (_end == 0) return null;
            }
        }
    }
}
