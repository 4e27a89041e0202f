using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary>SIGHUP reloads, as a sysadmin does them: each check appends a line to its own file every time it
/// runs, so the files show which checks run before and after the reload. Each test first waits until picomon's
/// actors take signals (a state dump): a SIGHUP sent before is kept and applied once they exist, which on a busy
/// machine can be seconds after the first checks ran, and the test must edit the file only after that.</summary>
[Collection(RealTime.Name)]
public sealed class ReloadTests : IDisposable
{
    private const int SigHup = 1, SigTerm = 15;
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("picomon-reload-");

    private string Conf => Path.Combine(_dir.FullName, "picomon.conf");

    private string Check(string name, int every = 1) =>
        $$"""{ type = exec, name = "{{name}}", every = {{every}}, command = ["/bin/sh", "-c", "echo run >> {{Path.Combine(_dir.FullName, name)}}.runs"] }""";

    private void Write(params string[] checks) => File.WriteAllText(Conf, $"""
        picomon {"{"} base-tick = 500ms, state-dir = "{Path.Combine(_dir.FullName, "state")}"
          checks = [ {string.Join("\n", checks)} ] {"}"}
        """);

    private int Runs(string name)
    {
        var file = Path.Combine(_dir.FullName, name + ".runs");
        return File.Exists(file) ? File.ReadAllLines(file).Length : 0;
    }

    private async Task WaitForRunsAsync(string name, int atLeast, PicomonProcess picomon)
    {
        var until = DateTime.UtcNow + Deadline;
        while (Runs(name) < atLeast)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{name} ran {Runs(name)} times, not {atLeast}\n{picomon.Stderr}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_valid_reload_starts_added_checks_stops_removed_ones_and_keeps_the_others_running()
    {
        Write(Check("kept"), Check("removed"));
        using var picomon = PicomonBinary.Start(_dir.FullName, "-c", Conf);
        await WaitForRunsAsync("removed", 2, picomon);
        await Daemon.SignalUntilDumpAsync(picomon);

        Write(Check("kept"), Check("added"));
        picomon.Signal(SigHup);
        await picomon.WaitForOutputAsync((_, err) => err.Contains("1 checks unchanged, 0 changed, 1 added, 1 removed"), Deadline);
        await WaitForRunsAsync("added", 2, picomon);
        var removedRuns = Runs("removed");
        var keptRuns = Runs("kept");
        await WaitForRunsAsync("kept", keptRuns + 3, picomon);

        // Between two runs of the added check, the removed one could have run at most once (already in flight).
        Assert.InRange(Runs("removed"), removedRuns, removedRuns + 1);
        picomon.Signal(SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task An_invalid_reload_logs_every_problem_and_the_old_configuration_keeps_running()
    {
        Write(Check("kept"));
        using var picomon = PicomonBinary.Start(_dir.FullName, "-c", Conf);
        await WaitForRunsAsync("kept", 2, picomon);
        await Daemon.SignalUntilDumpAsync(picomon);

        File.WriteAllText(Conf, "picomon { base-tik = 1s\n checks = [ { type = pong4 } ] }\n");
        picomon.Signal(SigHup);
        await picomon.WaitForOutputAsync((_, err) => err.Contains("still running the previous one"), Deadline);
        var runs = Runs("kept");
        await WaitForRunsAsync("kept", runs + 3, picomon);

        Assert.Contains("ERROR: picomon: config error: " + Conf + ":1: picomon.base-tik: unknown key, did you mean 'base-tick'?", picomon.Stderr);
        Assert.Contains("picomon.checks[0].type: unknown check type 'pong4', did you mean 'ping4'?", picomon.Stderr);
        picomon.Signal(SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    /// <summary>Before the reload, 'slow' runs at start (and at the dump) and would not run again for five minutes
    /// (every = 600 ticks of 500 ms); running three more times shows the new definition (every tick) in effect. How a restarted
    /// check schedules its runs is proven on virtual time in ChecksSupervisorSpecs.</summary>
    [Fact]
    public async Task A_changed_check_restarts_with_its_new_definition()
    {
        Write(Check("slow", every: 600), Check("pace"));
        using var picomon = PicomonBinary.Start(_dir.FullName, "-c", Conf);
        await WaitForRunsAsync("slow", 1, picomon);
        await Daemon.SignalUntilDumpAsync(picomon);

        Write(Check("slow", every: 1), Check("pace"));
        picomon.Signal(SigHup);
        await picomon.WaitForOutputAsync((_, err) => err.Contains("1 checks unchanged, 1 changed, 0 added, 0 removed"), Deadline);
        await WaitForRunsAsync("slow", Runs("slow") + 3, picomon);

        picomon.Signal(SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    [Fact]
    public async Task Signals_arriving_while_picomon_is_still_starting_neither_kill_it_nor_are_lost()
    {
        const int SigUsr1 = 10;
        Write(Check("kept"));
        using var picomon = PicomonBinary.Start(_dir.FullName, "-c", Conf);
        // The first log line is written right after the handlers are registered, long before the actors exist.
        await picomon.WaitForOutputAsync((_, err) => err.Contains("starting: config"), Deadline);
        picomon.Signal(SigUsr1);
        picomon.Signal(SigHup);

        // Kept until the actors exist, then handed on: one dump, one reload.
        await picomon.WaitForOutputAsync((stdout, stderr) => Daemon.Dumps(stdout) >= 1 && stderr.Contains("Configuration reloaded from"), Deadline);
        await WaitForRunsAsync("kept", 2, picomon);
        picomon.Signal(SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    /// <summary><c>nohup</c> hands picomon SIGHUP ignored; the runtime would then never deliver it, and a reload by
    /// SIGHUP would do nothing, silently.</summary>
    [Fact]
    public async Task SIGHUP_reloads_under_nohup_too()
    {
        Write(Check("kept"));
        using var picomon = PicomonBinary.StartUnder("nohup", _dir.FullName, "-c", Conf);
        await WaitForRunsAsync("kept", 1, picomon);
        await Daemon.SignalUntilDumpAsync(picomon);
        Write(Check("kept"), Check("added"));

        picomon.Signal(SigHup);

        // The check's run and the log line travel different ways (a file, the stderr pipe): wait for each.
        await WaitForRunsAsync("added", 1, picomon);
        await picomon.WaitForOutputAsync((_, err) => err.Contains("Configuration reloaded from"), Deadline);
        picomon.Signal(SigTerm);
        Assert.Equal(0, await picomon.WaitForExitAsync(Deadline));
    }

    public void Dispose() => _dir.Delete(true);
}
