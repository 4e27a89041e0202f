using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Picomon.Migration;

/// <summary>Python values (as the stand-in wrote them to JSON) turned into HOCON text. Each conversion
/// returns the HOCON text, or throws <see cref="FormatException"/> with a phrase saying what is wrong;
/// the caller adds where and which option.</summary>
internal static class PythonValue
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A HOCON quoted string (a JSON string is one).</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, Quoting);

    /// <summary>A whole number; a float such as <c>86400 / 60 = 1440.0</c> counts when it is whole, as the
    /// original's arithmetic on it stayed whole.</summary>
    public static long Whole(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && Math.Abs(number) < 1e15)
        {
            if (number == Math.Floor(number)) return (long)number;
            throw new FormatException($"{Describe(value)} is not a whole number");
        }
        throw new FormatException($"expected a whole number, got {Describe(value)}");
    }

    /// <summary>A number of seconds as a HOCON duration: <c>60s</c>, <c>2.5s</c>.</summary>
    public static string Seconds(JsonElement value, bool zeroAllowed)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds))
            throw new FormatException($"expected a number of seconds, got {Describe(value)}");
        if (seconds < 0 || (seconds == 0 && !zeroAllowed))
            throw new FormatException($"expected a {(zeroAllowed ? "" : "positive ")}number of seconds, got {Describe(value)}");
        return seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>A string, quoted; a whole number is taken as its digits (the original passed options through <c>str()</c>).</summary>
    public static string Text(JsonElement value) => Quote(RawText(value));

    public static string RawText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a string, got {Describe(value)}"),
    };

    /// <summary>A list of strings; a single string is a list of one.</summary>
    public static string TextList(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"[{Text(value)}]",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Text)) + "]",
        _ => throw new FormatException($"expected a list of strings, got {Describe(value)}"),
    };

    /// <summary>The value as the config wrote it, for messages: <c>'text'</c>, <c>12342.857</c>, <c>a list</c>.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object when value.TryGetProperty("python", out var python) => $"a Python {python.GetString()}",
        _ => value.ValueKind.ToString(),
    };
}
