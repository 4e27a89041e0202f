using System.Globalization;
using System.Text;

namespace Picomon.Configuration.Hocon;

/// <summary>Writes a resolved tree as plain HOCON that Akka's own parser reads back identically: every key
/// and string quoted and escaped, no substitutions, no includes — so Akka never sees the user's raw text.</summary>
public static class HoconRenderer
{
    public static string Render(HoconObject root)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in root.Fields) Field(text, key, value, 0);
        return text.ToString();
    }

    private static void Field(StringBuilder text, string key, HoconValue value, int indent)
    {
        text.Append(' ', indent * 2).Append(Quote(key)).Append(value is HoconObject ? " " : " = ");
        Value(text, value, indent);
        text.Append('\n');
    }

    private static void Value(StringBuilder text, HoconValue value, int indent)
    {
        switch (value)
        {
            case HoconObject obj:
                text.Append("{\n");
                foreach (var (key, child) in obj.Fields) Field(text, key, child, indent + 1);
                text.Append(' ', indent * 2).Append('}');
                break;
            case HoconArray array:
                text.Append('[');
                for (var i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Value(text, array.Items[i], indent + 1);
                }
                text.Append(']');
                break;
            case HoconScalar { Kind: HoconScalarKind.String } s:
                text.Append(Quote(s.Text));
                break;
            case HoconScalar { Kind: HoconScalarKind.Null }:
                text.Append("null");
                break;
            case HoconScalar s:
                text.Append(s.Text);
                break;
        }
    }

    private static string Quote(string s)
    {
        var quoted = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
