using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Picomon.Http;

/// <summary>Text written as UTF-8 straight into a response's <see cref="PipeWriter"/> and flushed every
/// <see cref="FlushEvery"/> bytes, so that a page or a scrape of 100,000 checks costs a small buffer, never a
/// string of the whole response.</summary>
public sealed class Utf8Output(PipeWriter writer)
{
    public const int FlushEvery = 32 * 1024;
    private const int Chunk = 4096; // characters encoded at once: bounds the span asked of the writer

    private long _unflushed;

    public Utf8Output Append(string text) => Append(text.AsSpan());

    public Utf8Output Append(ReadOnlySpan<char> text)
    {
        while (text.Length > 0)
        {
            var piece = text[..Math.Min(Chunk, text.Length)];
            // Never split a surrogate pair between two pieces.
            if (piece.Length < text.Length && char.IsHighSurrogate(piece[^1])) piece = piece[..^1];
            var written = Encoding.UTF8.GetBytes(piece, writer.GetSpan(Encoding.UTF8.GetMaxByteCount(piece.Length)));
            writer.Advance(written);
            _unflushed += written;
            text = text[piece.Length..];
        }
        return this;
    }

    public Utf8Output Append(char c) => Append([c]);

    /// <summary>A number as Prometheus and JSON read it: invariant culture, shortest round-trip form.</summary>
    public Utf8Output Append(double value)
    {
        value.TryFormat(writer.GetSpan(32), out var written, "R", CultureInfo.InvariantCulture);
        writer.Advance(written);
        _unflushed += written;
        return this;
    }

    public Utf8Output Append(long value)
    {
        value.TryFormat(writer.GetSpan(24), out var written, default, CultureInfo.InvariantCulture);
        writer.Advance(written);
        _unflushed += written;
        return this;
    }

    /// <summary>Sends what is buffered once it passes <see cref="FlushEvery"/> bytes (a slow reader holds the
    /// writer here rather than letting the buffer grow).</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancel) =>
        _unflushed < FlushEvery ? ValueTask.CompletedTask : FlushAsync(cancel);

    public async ValueTask FlushAsync(CancellationToken cancel)
    {
        _unflushed = 0;
        await writer.FlushAsync(cancel);
    }
}
