namespace Picomon.Benchmarks;

/// <summary>One line of the result table: the figure, what was measured, the target and whether it is met
/// (null when the figure has no target), and a note (how many runs, what failed, why).</summary>
public sealed record Row(string Figure, string Value, string Target, bool? Met, string Note = "");

/// <summary>The table, printed once at the end, with the machine it ran on.</summary>
public sealed class Results
{
    private readonly List<Row> _rows = [];

    public void Add(Row row)
    {
        lock (_rows) _rows.Add(row);
        Console.Error.WriteLine($"  {row.Figure}: {row.Value} {(row.Met is false ? "(target " + row.Target + " MISSED)" : "")} {row.Note}");
    }

    public IReadOnlyList<Row> Rows { get { lock (_rows) return [.. _rows]; } }

    public void Print(TextWriter output, string machine)
    {
        output.WriteLine(machine);
        var header = new Row("Figure", "Measured", "Target", null, "Note");
        var all = new[] { header }.Concat(Rows).ToList();
        int W(Func<Row, string> f) => all.Max(r => f(r).Length);
        var (w1, w2, w3) = (W(r => r.Figure), W(r => r.Value), W(r => r.Target));
        string Line(Row r, string met) => $"| {r.Figure.PadRight(w1)} | {r.Value.PadRight(w2)} | {r.Target.PadRight(w3)} | {met,-4} | {r.Note}";
        output.WriteLine(Line(header, "Met"));
        output.WriteLine($"|{new string('-', w1 + 2)}|{new string('-', w2 + 2)}|{new string('-', w3 + 2)}|------|------");
        foreach (var row in Rows) output.WriteLine(Line(row, row.Met switch { true => "yes", false => "NO", null => "" }));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
