namespace Picomon.Probes;

/// <summary>Runs one probe under its check's timeout: the daemon's check actors and <c>--one</c>
/// both go through here, so both report the same results and messages.</summary>
public static class ProbeRunner
{
    public const string TimedOut = "Operation timed out";

    /// <summary>How long a timed-out probe is given to clean up after itself (close its socket, kill its
    /// process group) before its result is reported: <c>--one</c> exits right after its last result, and
    /// a plugin's process group left unkilled would outlive Picomon.</summary>
    public static readonly TimeSpan CleanUpGrace = TimeSpan.FromSeconds(1);

    /// <summary>Never throws: a timeout becomes <see cref="TimedOut"/>, and a probe bug becomes a
    /// failure naming the exception, so nothing a probe does can stop a check or the daemon.</summary>
    public static async Task<ProbeResult> RunAsync(
        IProbe probe, ProbeTarget target, TimeSpan timeout, CancellationToken stopping = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cts.CancelAfter(timeout);
        Task<ProbeResult>? run = null;
        try
        {
            run = probe.RunAsync(target, cts.Token);
            // WaitAsync bounds even a probe that ignores its token.
            return await run.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            if (run is not null) await Task.WhenAny(run, Task.Delay(CleanUpGrace));
            return ProbeResult.Fail(TimedOut);
        }
        catch (Exception e)
        {
            return ProbeResult.Fail($"probe error: {e.GetType().Name}: {e.Message}");
        }
    }
}
