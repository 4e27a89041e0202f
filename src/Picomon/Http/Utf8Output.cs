using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Picomon.Http;

/// <summary>Text written as UTF-8 into a buffer of its own and handed to a response's <see cref="PipeWriter"/> in
/// blocks of about <see cref="FlushEvery"/> bytes, so that a page or a scrape of 100,000 checks costs one small
/// buffer, never a string of the whole response. The blocks matter: Kestrel makes one chunk of every span it is
/// given, and a scrape written piece by piece to it (a chunk per label value) took ten times as long.</summary>
public sealed class Utf8Output(PipeWriter writer)
{
    public const int FlushEvery = 32 * 1024;
    private const int Chunk = 4096; // characters encoded at once: at most 12 KiB of UTF-8

    private readonly byte[] _buffer = new byte[FlushEvery + 3 * Chunk];
    private int _count;

    public Utf8Output Append(string text) => Append(text.AsSpan());

    public Utf8Output Append(ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            var piece = text[..Math.Min(Chunk, text.Length)];
            // Never split a surrogate pair between two pieces.
            if (piece.Length < text.Length && char.IsHighSurrogate(piece[^1])) piece = piece[..^1];
            Reserve(Encoding.UTF8.GetMaxByteCount(piece.Length));
            _count += Encoding.UTF8.GetBytes(piece, _buffer.AsSpan(_count));
            text = text[piece.Length..];
        }
        return this;
    }

    public Utf8Output Append(char c) => Append([c]);

    /// <summary>A number as Prometheus and JSON read it: invariant culture, shortest round-trip form.</summary>
    public Utf8Output Append(double value)
    {
        Reserve(32);
        value.TryFormat(_buffer.AsSpan(_count), out var written, "R", CultureInfo.InvariantCulture);
        _count += written;
        return this;
    }

    public Utf8Output Append(long value)
    {
        Reserve(24);
        value.TryFormat(_buffer.AsSpan(_count), out var written, default, CultureInfo.InvariantCulture);
        _count += written;
        return this;
    }

    /// <summary>Sends what is buffered once it passes <see cref="FlushEvery"/> bytes (a slow reader holds the
    /// writer here rather than letting anything grow).</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancel) =>
        _count < FlushEvery ? ValueTask.CompletedTask : FlushAsync(cancel);

    public async ValueTask FlushAsync(CancellationToken cancel)
    {
        Spill();
        await writer.FlushAsync(cancel);
    }

    private void Reserve(int bytes)
    {
        if (_count + bytes > _buffer.Length) Spill();
    }

    /// <summary>Hands the buffered bytes to the writer as one block.</summary>
    private void Spill()
    {
        writer.Write(_buffer.AsSpan(0, _count));
        _count = 0;
    }
}
