using System.Diagnostics;
using Picomon.Checks;
using Xunit.Abstractions;

namespace Picomon.Tests.State;

/// <summary>The store at the scale of a large configuration. Prints what each operation costs on this machine
/// (seen with <c>--logger "console;verbosity=detailed"</c>); asserts only what must come back.</summary>
public sealed class StateStoreScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int Checks = 10_000, Mails = 500;

    private readonly StateDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Ten_thousand_checks_and_their_mails_come_back_after_a_reopen()
    {
        var clock = Stopwatch.StartNew();
        using (var store = _dir.Open())
        {
            Report("open (empty)", clock, 1);
            for (var n = 0; n < Checks; n++) store.SaveCheck(StateDir.Check($"http4/web{n}", CheckStatus.Error, $"failure {n}"));
            Report("SaveCheck", clock, Checks);
            for (var n = 0; n < Mails; n++) store.Outbox.Enqueue(StateDir.Mail(n));
            Report("Enqueue", clock, Mails);
            for (var n = 0; n < Mails / 2; n++) store.Outbox.MarkSent(StateDir.Mail(n));
            Report("MarkSent", clock, Mails / 2);
        }
        Report("close", clock, 1);

        using var reopened = _dir.Open();
        Report($"open ({Checks} checks, {Mails / 2} queued mails)", clock, 1);

        Assert.Equal(Checks, reopened.LoadChecks().Count);
        Assert.Equal("failure 9999", reopened.LoadChecks().Single(c => c.Id == "http4/web9999").LastMessage);
        Assert.Equal(Mails / 2, reopened.Outbox.Count);
        Assert.Equal($"<mail-{Mails / 2}@picomon.example>", reopened.Outbox.Peek()!.MessageId);
        Assert.Empty(_dir.Errors);
    }

    private void Report(string what, Stopwatch clock, int count)
    {
        output.WriteLine($"{what}: {clock.Elapsed.TotalMilliseconds / count:F3} ms{(count > 1 ? " each" : "")}");
        clock.Restart();
    }
}
