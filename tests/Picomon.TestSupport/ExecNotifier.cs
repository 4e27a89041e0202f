namespace Picomon.TestSupport;

/// <summary>A real program for the exec channel: <c>testdata/notify/notifier.sh</c>, given a directory of its own
/// where it keeps what each run received (stdin, the <c>PICOMON_*</c> variables) and reads the exit code the test
/// wants (or "hang").</summary>
public sealed class ExecNotifier : IDisposable
{
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "testdata", "notify", "notifier.sh");

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("picomon-notifier-").FullName;

    /// <summary>The channel's command: the script and its directory.</summary>
    public IReadOnlyList<string> Command => [Script, Directory];

    /// <summary>What the next runs exit with: a number, or "hang".</summary>
    public string Exit
    {
        set => File.WriteAllText(Path.Combine(Directory, "exit"), value);
    }

    /// <summary>Every run's input, in order (a run counts once it has read its input and chosen its exit).</summary>
    public IReadOnlyList<Run> Runs
    {
        get
        {
            var runs = new List<Run>();
            for (var n = 1; File.Exists(Part(n, "exit")); n++)
                runs.Add(new Run(File.ReadAllText(Part(n, "stdin")), File.ReadAllText(Part(n, "kind")), File.ReadAllText(Part(n, "check")),
                    File.ReadAllText(Part(n, "state")), File.ReadAllText(Part(n, "message")), File.ReadAllText(Part(n, "exit"))));
            return runs;
        }
    }

    public async Task<IReadOnlyList<Run>> WaitForRunsAsync(int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Runs is var runs && runs.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"exec notifier: {runs.Count} of {count} run(s) within {within}");
            await Task.Delay(20);
        }
        return Runs;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* best effort */ }
    }

    private string Part(int n, string what) => Path.Combine(Directory, $"run-{n}.{what}");

    /// <summary>The runs that exited 0: the deliveries.</summary>
    public IReadOnlyList<Run> Delivered => Runs.Where(r => r.Exit == "0").ToList();

    /// <summary>One run's input — its stdin and its PICOMON_KIND, _CHECK, _STATE, _MESSAGE — and its exit (a code, or "hang").</summary>
    public sealed record Run(string Stdin, string Kind, string Check, string State, string Message, string Exit);
}
