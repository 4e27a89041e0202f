using Picomon.Configuration.Hocon;

namespace Picomon.Configuration;

/// <summary>Collects every configuration problem (not just the first) and reads typed values,
/// recording a <see cref="ConfigError"/> naming file, line and key path for each bad one.</summary>
internal sealed class ErrorList
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Add(SourceLocation location, string path, string message)
    {
        var error = new ConfigError(location, path, message);
        if (!_errors.Contains(error)) _errors.Add(error);
    }

    public void Add(HoconValue value, string path, string message) => Add(value.Location, path, message);

    /// <summary>Reports every key of <paramref name="obj"/> not in <paramref name="known"/>, with a suggestion.</summary>
    public void RejectUnknownKeys(HoconObject obj, string path, IReadOnlyCollection<string> known)
    {
        foreach (var (key, value) in obj.Fields)
        {
            if (known.Contains(key)) continue;
            var suggestion = Suggest(key, known);
            Add(value, Join(path, key), suggestion is null ? "unknown key" : $"unknown key, did you mean '{suggestion}'?");
        }
    }

    public T? Read<T>(HoconValue? value, string path, Func<HoconValue, (T? Value, string? Error)> convert) where T : class
    {
        if (value is null) return null;
        var (result, error) = convert(value);
        if (error is not null) Add(value, path, error);
        return result;
    }

    public T? ReadValue<T>(HoconValue? value, string path, Func<HoconValue, (T? Value, string? Error)> convert) where T : struct
    {
        if (value is null) return null;
        var (result, error) = convert(value);
        if (error is not null) Add(value, path, error);
        return result;
    }

    public string? Text(HoconValue? value, string path) =>
        Read(value, path, v => (HoconConvert.ToText(v, out var e), e));

    public long? Integer(HoconValue? value, string path) =>
        ReadValue(value, path, v => (HoconConvert.ToInteger(v, out var e), e));

    public double? Number(HoconValue? value, string path) =>
        ReadValue(value, path, v => (HoconConvert.ToNumber(v, out var e), e));

    public TimeSpan? Duration(HoconValue? value, string path) =>
        ReadValue(value, path, v => (HoconConvert.ToDuration(v, out var e), e));

    public IReadOnlyList<string>? TextList(HoconValue? value, string path) =>
        Read(value, path, v => (HoconConvert.ToTextList(v, out var e), e));

    public HoconObject? Object(HoconValue? value, string path)
    {
        if (value is null or HoconObject) return value as HoconObject;
        Add(value, path, $"expected an object, got {value.KindName}");
        return null;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The closest candidate within a small edit distance, for "did you mean".</summary>
    public static string? Suggest(string key, IEnumerable<string> candidates)
    {
        var limit = Math.Max(1, Math.Min(3, key.Length / 3));
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(key.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
