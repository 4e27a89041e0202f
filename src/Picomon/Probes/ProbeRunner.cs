namespace Picomon.Probes;

/// <summary>Runs one probe under its check's timeout: the daemon's check actors and <c>--one</c>
/// both go through here, so both report the same results and messages.</summary>
public static class ProbeRunner
{
    public const string TimedOut = "Operation timed out";

    /// <summary>Never throws: a timeout becomes <see cref="TimedOut"/>, and a probe bug becomes a
    /// failure naming the exception, so nothing a probe does can stop a check or the daemon.</summary>
    public static async Task<ProbeResult> RunAsync(
        IProbe probe, ProbeTarget target, TimeSpan timeout, CancellationToken stopping = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        cts.CancelAfter(timeout);
        try
        {
            // WaitAsync bounds even a probe that ignores its token.
            return await probe.RunAsync(target, cts.Token).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return ProbeResult.Fail(TimedOut);
        }
        catch (Exception e)
        {
            return ProbeResult.Fail($"probe error: {e.GetType().Name}: {e.Message}");
        }
    }
}
