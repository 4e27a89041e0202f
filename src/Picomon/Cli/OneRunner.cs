using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Cli;

/// <summary><c>picomon --one</c> (SPEC §6): every check once, all at once, each bounded by its timeout,
/// through the same probes as the daemon; a block printed as each finishes, then the summary.</summary>
public static class OneRunner
{
    /// <summary>Returns the exit code: 0 when every check succeeded, else 1.</summary>
    public static async Task<int> RunAsync(PicomonSettings settings, TextWriter output, CancellationToken stopping)
    {
        var gate = new object();
        var failed = 0;
        var runs = settings.Checks.Select(async check =>
        {
            var probe = check.Type.CreateProbe(check.Options);
            // Yield first so that building and starting every probe does not wait on the slowest one.
            await Task.Yield();
            var result = await ProbeRunner.RunAsync(probe, check.Target, check.Timeout, stopping);
            lock (gate)
            {
                if (!result.Success) failed++;
                output.Write(Block(check.Id, result));
                output.Flush();
            }
        });
        await Task.WhenAll(runs);
        var total = settings.Checks.Count;
        output.WriteLine($"{total} check{(total == 1 ? "" : "s")}: {total - failed} OK, {failed} failed");
        output.Flush();
        return failed == 0 ? 0 : 1;
    }

    public static string Block(string id, ProbeResult result) =>
        result.Success
            ? $"Check {id} successful!{Environment.NewLine}"
            : $"Check {id} failed:{Environment.NewLine}{result.Message}{Environment.NewLine}";
}
