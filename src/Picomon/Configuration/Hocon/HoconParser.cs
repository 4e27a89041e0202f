using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text.Unicode;

namespace Picomon.Configuration.Hocon;

/// <summary>Picomon's strict HOCON reader (Akka's own parser hangs or guesses on broken input): parses a
/// file or text, follows includes, resolves substitutions, and stops at the first error with its line.</summary>
public static class HoconParser
{
    /// <summary>The largest file or text accepted, and the most text all includes may add up to.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    // The grammar and the resolver recurse once per level (at most 256 nested brackets, 1,000 resolution
    // steps), at up to ~1.5 KiB of stack each: a private stack keeps those bounds safe on any calling thread.
    private const int StackSize = 16 * 1024 * 1024;

    public static HoconObject ParseFile(string path, Func<string, string?>? environment = null) =>
        OnOwnStack(() => Resolve(new IncludeLoader().ParseRootFile(path), environment));

    public static HoconObject ParseText(string text, string fileName, string? baseDirectory = null,
        Func<string, string?>? environment = null)
    {
        if (text.Length > MaxBytes) throw new HoconException(new SourceLocation(fileName, 0), "file too large (over 64 MiB)");
        return OnOwnStack(() => Resolve(new IncludeLoader().Parse(text, fileName, baseDirectory ?? "", [], 1), environment));
    }

    /// <summary>Lays <paramref name="overrides"/> over <paramref name="fallback"/>: objects merge recursively,
    /// any other value in the overrides replaces the fallback's.</summary>
    public static HoconObject Merge(HoconObject fallback, HoconObject overrides) =>
        HoconResolver.MergeObjects(fallback, overrides, built => built);

    private static HoconObject OnOwnStack(Func<HoconObject> parse)
    {
        HoconObject? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = parse();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, StackSize) { Name = "picomon-hocon" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static HoconObject Resolve(ObjectNode root, Func<string, string?>? environment) =>
        new HoconResolver(root, environment ?? Environment.GetEnvironmentVariable).Resolve();
}

/// <summary>Reads files (bounded, strict UTF-8) and follows includes relative to the including file,
/// guarding against cycles, deep chains and include bombs.</summary>
internal sealed class IncludeLoader
{
    private const int MaxIncludeDepth = 32;
    private const int MaxIncludes = 1_000;

    private readonly List<string> _open = []; // full paths of the files being parsed, outermost first
    private long _totalChars;
    private int _includes;

    public ObjectNode ParseRootFile(string path)
    {
        var text = Read(path);
        _open.Add(Path.GetFullPath(path));
        return Parse(text, path, Path.GetDirectoryName(path) ?? "", [], 1);
    }

    public ObjectNode Parse(string text, string file, string baseDirectory, string[] prefix, int nesting)
    {
        _totalChars += text.Length;
        if (_totalChars > HoconParser.MaxBytes)
            throw new HoconException(new SourceLocation(file, 0), "configuration too large (over 64 MiB with includes)");
        var syntax = new HoconSyntax(new HoconLexer(text, file), prefix, nesting, this, baseDirectory);
        return syntax.ParseDocument();
    }

    public ObjectNode Include(string name, SourceLocation at, string baseDirectory, string[] prefix, int nesting)
    {
        var file = Path.Combine(baseDirectory, name);
        var fullPath = Path.GetFullPath(file);
        if (_open.Contains(fullPath)) throw new HoconException(at, $"include cycle: {name}");
        if (_open.Count > MaxIncludeDepth) throw new HoconException(at, $"includes nested deeper than {MaxIncludeDepth} levels");
        if (++_includes > MaxIncludes) throw new HoconException(at, $"more than {MaxIncludes} includes");
        if (!File.Exists(fullPath) && !Directory.Exists(fullPath)) throw new HoconException(at, $"include not found: {name}");
        var text = Read(file);
        _open.Add(fullPath);
        var included = Parse(text, file, Path.GetDirectoryName(file) ?? "", prefix, nesting);
        _open.RemoveAt(_open.Count - 1);
        return included;
    }

    private static string Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = ReadBounded(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HoconException(new SourceLocation(path, 0), $"cannot read file: {Reason(path, e)}");
        }
        var chars = new char[bytes.Length];
        if (Utf8.ToUtf16(bytes, chars, out var valid, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            var line = 1 + bytes.AsSpan(0, valid).Count((byte)'\n');
            throw new HoconException(new SourceLocation(path, line), "invalid UTF-8");
        }
        return new string(chars, 0, written); // a leading byte-order mark is skipped by the lexer
    }

    /// <summary>Reads at most <see cref="HoconParser.MaxBytes"/>; the length is not trusted (/dev/zero, pipes).</summary>
    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > HoconParser.MaxBytes)
                throw new HoconException(new SourceLocation(path, 0), "file too large (over 64 MiB)");
        }
        return buffer.ToArray();
    }

    private static string Reason(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException when Directory.Exists(path) => "Is a directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };
}
