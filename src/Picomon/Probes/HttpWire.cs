using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Picomon.Net;

namespace Picomon.Probes;

/// <summary>One HTTP/1.x response read by hand off a stream, for <see cref="HttpProbe"/>: the status line
/// and headers (interim 1xx responses skipped, the whole header block capped at 64 KiB), then, on demand,
/// up to 64 KiB of the body — Content-Length, chunked (decoded) or until the peer closes. It owns one
/// pooled buffer, which also carries the request out: 4 KiB, grown to 64 KiB only for a response that needs
/// it, so thousands of probes in flight do not drain the pool into fresh 64 KiB arrays. What the peer gets wrong throws
/// <see cref="HttpWireException"/>.</summary>
internal sealed class HttpWire(Stream stream) : IDisposable
{
    private enum Framing { None, Length, Chunked, UntilClose }

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private int _start, _end, _lineStart;
    private Framing _framing;
    private long _length;

    public int Status { get; private set; }

    /// <summary>The reason phrase the server sent; empty if it sent none.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>Sends the request, given in ASCII pieces (so a probe keeps its constant parts).</summary>
    public async Task SendAsync(string head, string host, string tail, CancellationToken cancellationToken)
    {
        var length = head.Length + host.Length + tail.Length;
        if (length > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        var n = Encoding.ASCII.GetBytes(head, _buffer);
        n += Encoding.ASCII.GetBytes(host, _buffer.AsSpan(n));
        n += Encoding.ASCII.GetBytes(tail, _buffer.AsSpan(n));
        await stream.WriteAsync(_buffer.AsMemory(0, n), cancellationToken);
    }

    /// <summary>Reads the status line and headers of the final response.</summary>
    public async Task ReadHeadAsync(CancellationToken cancellationToken)
    {
        var left = ProbeNet.ReadCap;
        do
        {
            var length = await ReadLineAsync(left, "response headers exceed 64 KiB", cancellationToken);
            left -= _start - _lineStart;
            ParseStatusLine(_buffer.AsSpan(_lineStart, length));
            _framing = Status is (>= 100 and < 200) or 204 or 304 ? Framing.None : Framing.UntilClose;
            while ((length = await ReadLineAsync(left, "response headers exceed 64 KiB", cancellationToken)) > 0)
            {
                left -= _start - _lineStart;
                ParseHeader(_buffer.AsSpan(_lineStart, length));
            }
            left -= _start - _lineStart;
        }
        while (Status is >= 100 and < 200 and not 101); // 100 Continue, 103 Early Hints…: the real one follows
    }

    private void ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.x SP 3DIGIT [SP reason]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3 || status < 100
            || (line.Length > 12 && line[12] != ' '))
            throw new HttpWireException($"invalid status line '{Quote(line)}'");
        Status = status;
        Reason = line.Length > 13 ? Encoding.Latin1.GetString(line[13..]).Trim() : "";
    }

    private void ParseHeader(ReadOnlySpan<byte> line)
    {
        if (line[0] is (byte)' ' or (byte)'\t') return; // obsolete line folding: nothing we read is folded
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].ContainsAny(" \t"u8))
            throw new HttpWireException($"invalid header line '{Quote(line)}'");
        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            // Only a final "chunked" frames the body; any other coding runs until the server closes.
            var last = value[(value.LastIndexOf((byte)',') + 1)..].Trim(" \t"u8);
            if (_framing != Framing.None) _framing = Ascii.EqualsIgnoreCase(last, "chunked"u8) ? Framing.Chunked : Framing.UntilClose;
        }
        else if (Ascii.EqualsIgnoreCase(name, "content-length"u8) && _framing is Framing.UntilClose or Framing.Length)
        {
            if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                || (_framing == Framing.Length && length != _length))
                throw new HttpWireException($"invalid Content-Length '{Quote(value)}'");
            (_framing, _length) = (Framing.Length, length);
        }
    }

    /// <summary>Reads the body until its decoded text (UTF-8) contains <paramref name="expected"/>, the body
    /// ends, or 64 KiB of it have been read.</summary>
    public async Task<bool> BodyContainsAsync(string expected, CancellationToken cancellationToken)
    {
        var body = new BodyText(expected);
        try
        {
            switch (_framing)
            {
                case Framing.Length: return await CopyAsync(body, _length, exact: true, cancellationToken);
                case Framing.UntilClose: return await CopyAsync(body, long.MaxValue, exact: false, cancellationToken);
                case Framing.Chunked: return await ChunksContainAsync(body, cancellationToken);
                default: return false;
            }
        }
        finally
        {
            body.Dispose();
        }
    }

    private async Task<bool> ChunksContainAsync(BodyText body, CancellationToken cancellationToken)
    {
        while (!body.Full)
        {
            var length = await ReadLineAsync(ProbeNet.ReadCap, "chunk size line too long", cancellationToken);
            var line = _buffer.AsSpan(_lineStart, length);
            var semicolon = line.IndexOf((byte)';'); // chunk extensions are ignored
            var digits = (semicolon < 0 ? line : line[..semicolon]).Trim(" \t"u8);
            if (!Utf8Parser.TryParse(digits, out long size, out var used, 'x') || used != digits.Length || used == 0 || size < 0)
                throw new HttpWireException($"invalid chunk size '{Quote(line)}'");
            if (size == 0) return false;
            if (await CopyAsync(body, size, exact: true, cancellationToken)) return true;
            if (!body.Full && await ReadLineAsync(2, "missing CRLF after a chunk", cancellationToken) != 0)
                throw new HttpWireException("missing CRLF after a chunk");
        }
        return false;
    }

    private async Task<bool> CopyAsync(BodyText body, long count, bool exact, CancellationToken cancellationToken)
    {
        var copied = 0L;
        while (copied < count && !body.Full)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
                return exact ? throw new HttpWireException($"response ended after {copied} of {count} body bytes") : false;
            var n = (int)Math.Min(_end - _start, count - copied);
            n = body.Append(_buffer.AsSpan(_start, n));
            _start += n;
            copied += n;
            if (body.Matches()) return true;
        }
        return false;
    }

    /// <summary>Reads up to the next LF; the line (CR stripped) starts at <c>_lineStart</c>. A line that runs
    /// past <paramref name="max"/> bytes, terminator included, throws <paramref name="tooLong"/>.</summary>
    private async ValueTask<int> ReadLineAsync(int max, string tooLong, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var at = _buffer.AsSpan(_start + scanned, Math.Min(_end - _start, max) - scanned).IndexOf((byte)'\n');
            if (at >= 0)
            {
                var length = scanned + at;
                (_lineStart, _start) = (_start, _start + length + 1);
                return length > 0 && _buffer[_lineStart + length - 1] == '\r' ? length - 1 : length;
            }
            scanned = Math.Min(_end - _start, max);
            if (scanned >= max) throw new HttpWireException(tooLong);
            if (!await FillAsync(cancellationToken))
                throw new HttpWireException(Status == 0 && _end == 0 ? "the server closed the connection without a response"
                    : "the response ended in the middle of a line");
        }
    }

    /// <summary>Reads more into the buffer, moving what is unread to its start first; false when the peer closed.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            (_end, _start) = (_end - _start, 0);
        }
        if (_end == _buffer.Length && _end < ProbeNet.ReadCap)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(ProbeNet.ReadCap);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var n = await stream.ReadAsync(_buffer.AsMemory(_end, Math.Min(_buffer.Length, ProbeNet.ReadCap) - _end), cancellationToken);
        _end += n;
        return n > 0;
    }

    private static string Quote(ReadOnlySpan<byte> bytes) =>
        Excerpt.FirstLine(Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 201)]));

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>The first 64 KiB of a decoded body, matched as UTF-8 text like any probe's reply.</summary>
    private sealed class BodyText(string expected) : IDisposable
    {
        private readonly byte[] _bytes = ArrayPool<byte>.Shared.Rent(ProbeNet.ReadCap);
        private int _length;

        public bool Full => _length >= ProbeNet.ReadCap;

        public int Append(ReadOnlySpan<byte> bytes)
        {
            var n = Math.Min(bytes.Length, ProbeNet.ReadCap - _length);
            bytes[..n].CopyTo(_bytes.AsSpan(_length));
            _length += n;
            return n;
        }

        public bool Matches() => Encoding.UTF8.GetString(_bytes, 0, _length).Contains(expected, StringComparison.Ordinal);

        public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
    }
}

/// <summary>The server's response is not valid HTTP/1.x (the message says how).</summary>
internal sealed class HttpWireException(string message) : Exception(message);
