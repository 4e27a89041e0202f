using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Cli;

/// <summary><c>picomon --one</c>: every check once, concurrently, each bounded by its timeout,
/// through the same probes as the daemon; a block printed as each finishes, then the summary. At most
/// <see cref="MaxConcurrent"/> run at a time: ten thousand connects opened in the same instant overflow the
/// targets' SYN queues (net.core.somaxconn) and the 1 s SYN retransmits then time checks out, and the
/// process's descriptors must last. A check's timeout starts when it starts, not while it waits.</summary>
public static class OneRunner
{
    public static readonly int MaxConcurrent = Math.Min(1000, Math.Max(16, DescriptorLimit() / 4));

    /// <summary>Returns the exit code: 0 when every check succeeded, else 1.</summary>
    public static async Task<int> RunAsync(PicomonSettings settings, TextWriter output, CancellationToken stopping)
    {
        var gate = new object();
        var failed = 0;
        using var slots = new SemaphoreSlim(MaxConcurrent);
        var runs = settings.Checks.Select(async check =>
        {
            var probe = check.Type.CreateProbe(check.Options, App.Version);
            // Yield first so that building and starting every probe does not wait on the slowest one.
            await Task.Yield();
            var result = await RunInSlotAsync(slots, probe, check, stopping);
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

    private static async Task<ProbeResult> RunInSlotAsync(SemaphoreSlim slots, IProbe probe, CheckDefinition check,
        CancellationToken stopping)
    {
        try
        {
            await slots.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return ProbeResult.Fail(ProbeRunner.TimedOut); // interrupted before it started: as a run cut short
        }
        try
        {
            return await ProbeRunner.RunAsync(probe, check.Target, check.Timeout, stopping);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The soft limit on open files (the runtime raises it to the hard limit at start-up).</summary>
    private static int DescriptorLimit()
    {
        const string limits = "/proc/self/limits";
        var line = File.Exists(limits)
            ? File.ReadLines(limits).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            : null;
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(3);
        return int.TryParse(soft, out var n) ? n : 1024; // "unlimited" or no /proc: assume the common default
    }

    public static string Block(string id, ProbeResult result) =>
        result.Success
            ? $"Check {id} successful!{Environment.NewLine}"
            : $"Check {id} failed:{Environment.NewLine}{result.Message}{Environment.NewLine}";
}
