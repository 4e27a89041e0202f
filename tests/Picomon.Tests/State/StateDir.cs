using Picomon.Checks;
using Picomon.Mail;
using Picomon.State;

namespace Picomon.Tests.State;

/// <summary>A fresh state directory under the temp dir (removed afterwards), the log lines a store wrote,
/// and a clock the test moves.</summary>
internal sealed class StateDir : IDisposable
{
    public StateDir()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "picomon-state-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Path = System.IO.Path.Combine(Root, "state");
    }

    /// <summary>The parent of <see cref="Path"/>, free for the test to fill.</summary>
    public string Root { get; }

    public string Path { get; }

    public string DatabasePath => System.IO.Path.Combine(Path, "picomon.db");

    public List<string> Errors { get; } = [];

    public List<string> Infos { get; } = [];

    public ManualClock Clock { get; } = new();

    public SqliteStateStore Open() => Open(Path);

    public SqliteStateStore Open(string stateDir) =>
        SqliteStateStore.Open(stateDir, e => { lock (Errors) Errors.Add(e); }, i => { lock (Infos) Infos.Add(i); }, Clock);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    public static StoredCheck Check(string id, CheckStatus status = CheckStatus.Ok, string message = "") =>
        new(id, status, new DateTimeOffset(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1)), status == CheckStatus.Ok ? 0 : 3,
            message, status == CheckStatus.Error ? new DateTimeOffset(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1)) : null,
            status == CheckStatus.Error ? 1 : 0);

    public static OutgoingMail Mail(int n, string? inReplyTo = null) =>
        new($"<mail-{n}@picomon.example>", "Picomon <picomon@example.org>", ["ops@example.org", "Öncall <oncall@example.org>"],
            $"[DOMAIN] Problem: CheckHttp on web{n}", $"Check http4/web{n} (http4 on web{n}):\nfailure:\nConnection refused ✗",
            inReplyTo, new DateTimeOffset(2026, 11, 24, 10, 2, n % 60, TimeSpan.FromHours(-5)),
            inReplyTo is null ? MailKind.Problem : MailKind.Recovery, n % 2 == 0 ? $"http4/web{n}" : null);

    /// <summary>Every field, To element by element, and the date's offset too.</summary>
    public static void AssertSameMail(OutgoingMail expected, OutgoingMail? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { To = Array.Empty<string>(), Date = default }, actual with { To = Array.Empty<string>(), Date = default });
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Date.ToString("o"), actual.Date.ToString("o"));
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
