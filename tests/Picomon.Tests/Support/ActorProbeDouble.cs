using System.Threading.Channels;
using Picomon.Probes;

namespace Picomon.Tests.Support;

/// <summary>A probe whose runs complete when the test says so: each call to <see cref="RunAsync"/> shows up
/// as a <see cref="PendingRun"/> from <see cref="NextRunAsync"/>, and stays pending until completed.</summary>
public sealed class ControllableProbe : IProbe
{
    private readonly Channel<PendingRun> _started = Channel.CreateUnbounded<PendingRun>();
    private int _startedCount;

    /// <summary>How many runs have started so far.</summary>
    public int StartedCount => Volatile.Read(ref _startedCount);

    public Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken)
    {
        var run = new PendingRun();
        Interlocked.Increment(ref _startedCount);
        _started.Writer.TryWrite(run);
        return run.Result;
    }

    /// <summary>The next run to start, waiting for it up to a generous real-time deadline.</summary>
    public async Task<PendingRun> NextRunAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _started.Reader.ReadAsync(deadline.Token);
    }
}

/// <summary>One started run of a <see cref="ControllableProbe"/>.</summary>
public sealed class PendingRun
{
    private readonly TaskCompletionSource<ProbeResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<ProbeResult> Result => _result.Task;

    public void Succeed() => _result.SetResult(ProbeResult.Ok);

    public void Fail(string message) => _result.SetResult(ProbeResult.Fail(message));
}
