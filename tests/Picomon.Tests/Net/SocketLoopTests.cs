using System.Net;
using System.Net.Sockets;
using Picomon.Net;

namespace Picomon.Tests.Net;

/// <summary>The loop's hand-offs (<see cref="SocketLoop.TryHold"/>): held only on the loop's thread, and made there once
/// the events in hand are handled, even when no other event comes. Waits have generous deadlines; nothing is timed.</summary>
public sealed class SocketLoopTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void Off_the_loop_thread_nothing_is_held()
    {
        var handOff = new RecordedHandOff();

        Assert.False(SocketLoop.TryHold(handOff));
        Assert.False(handOff.Made.Task.IsCompleted);
    }

    [Fact]
    public async Task A_hand_off_held_on_the_loop_thread_is_made_there_later_with_no_other_event()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = listener.AcceptSocketAsync();
        using var cancel = new CancellationTokenSource(Generous);
        await using var stream = await LoopStream.ConnectAsync((IPEndPoint)listener.LocalEndpoint, noDelay: false, cancel.Token);
        using var peer = await accepted.WaitAsync(Generous);
        var handOff = new RecordedHandOff();

        // On a pool thread, as the daemon runs a probe: no synchronization context for the stream's awaits to post their
        // continuations to. The read waits (the peer has sent nothing yet), so what follows it runs on the loop's thread
        // once the byte comes, as a probe's end does.
        var (wasHeld, madeAtOnce, thread) = await Task.Run(async () =>
        {
            var held = ReadThenHoldAsync(stream, handOff, cancel.Token);
            await peer.SendAsync(new byte[] { 1 });
            return await held;
        }).WaitAsync(Generous);

        Assert.True(wasHeld);
        Assert.False(madeAtOnce);
        Assert.Equal("picomon sockets", thread.Name);
        Assert.Same(thread, await handOff.Made.Task.WaitAsync(Generous));
    }

    private static async Task<(bool Held, bool MadeAtOnce, Thread Thread)> ReadThenHoldAsync(LoopStream stream, RecordedHandOff handOff,
        CancellationToken cancellationToken)
    {
        await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false);
        var held = SocketLoop.TryHold(handOff);
        return (held, handOff.Made.Task.IsCompleted, Thread.CurrentThread);
    }

    private sealed class RecordedHandOff : SocketLoop.IHandOff
    {
        public TaskCompletionSource<Thread> Made { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void HandOff() => Made.SetResult(Thread.CurrentThread);
    }
}
