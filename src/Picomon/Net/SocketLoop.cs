using System.Diagnostics;
using System.Runtime.InteropServices;
using Picomon.Scheduling;

namespace Picomon.Net;

/// <summary>The probes' own socket readiness loop on Linux: one epoll instance and one thread that waits on it and
/// wakes the <see cref="LoopStream"/> an event is for. A stream makes its system calls (connect, send, recv) on the
/// thread that asks, and waits here only when the kernel says "not yet"; what it awaited then continues on this
/// thread, as the runtime's socket completions do in the daemon (<c>Daemon.CompleteSocketsInline</c>), so code after a
/// probe's await must not block.</summary>
/// <remarks>Why not <see cref="System.Net.Sockets.Socket"/> (measured on the lab's 2 cores, README "Performance", round
/// 6): 1,000 HTTP checks every 1 s cost 181 µs of CPU a probe through the runtime's asynchronous sockets and 148 µs
/// through this loop, beside Monit's 128 and 121 µs in the same runs. Without Picomon, the same requests cost 137 µs
/// through the runtime's asynchronous sockets and 82 µs on a bare epoll thread. The runtime's engine keeps a context, a
/// queue of operations and a registration per socket, and a task per step; here a step is a system call and, when it
/// would block, one counter compared under a lock. Streams are told apart by a slot and a generation, so an event that
/// arrives for a stream already closed, or for a later stream in the same slot, is ignored.</remarks>
internal sealed unsafe partial class SocketLoop
{
    private const int EpollCloexec = 0x80000, EpollCtlAdd = 1, Eintr = 4;
    internal const uint EpollIn = 0x001, EpollOut = 0x004, EpollErr = 0x008, EpollHup = 0x010, EpollRdHup = 0x2000;
    private const uint EpollEt = 0x80000000;

    private static readonly Lazy<SocketLoop> Instance = new(() => new SocketLoop());

    private readonly int _epoll;
    private readonly Lock _gate = new(); // guards the slots' allocation
    private LoopStream?[] _slots = new LoopStream?[64];
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;
    private uint _generation; // the last one given: each stream added gets the next

    /// <summary>The longest a hand-off is held (<see cref="TryHold"/>): the narrowest of the timer slots (20 ms), so that a
    /// result waits for its actor no longer than a start may wait for its slot.</summary>
    public static readonly TimeSpan HoldFor = TimerQueueScheduler.SlotWidths[0];

    private static readonly long HoldTicks = (long)(HoldFor.TotalSeconds * Stopwatch.Frequency);
    [ThreadStatic] private static SocketLoop? t_loop; // on a loop's thread, that loop
    private readonly List<IHandOff> _held = []; // on the loop's thread only
    private long _handOffAt; // when the hand-offs held go (a Stopwatch timestamp): HoldFor after the first was held

    /// <summary>The process's loop, started by the first stream that needs it: a daemon without such a probe has no thread
    /// for it.</summary>
    public static SocketLoop Shared => Instance.Value;

    private SocketLoop()
    {
        _epoll = epoll_create1(EpollCloexec);
        if (_epoll < 0) throw LoopStream.Error(Marshal.GetLastPInvokeError());
        var thread = new Thread(Run) { IsBackground = true, Name = "picomon sockets" };
        thread.UnsafeStart();
    }

    /// <summary>Watches <paramref name="stream"/>'s socket (edge-triggered, both directions) from now on. If the watch
    /// fails, the stream keeps its slot until it is disposed (<see cref="Remove"/>).</summary>
    public void Add(LoopStream stream, int fd)
    {
        lock (_gate)
        {
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
            if (slot == _slots.Length) Volatile.Write(ref _slots, [.. _slots, .. new LoopStream?[_slots.Length]]);
            stream.Slot = slot;
            stream.Generation = ++_generation;
            _slots[slot] = stream;
        }
        var change = new EpollEvent
        {
            Events = EpollIn | EpollOut | EpollRdHup | EpollEt,
            Data = (uint)stream.Slot | ((ulong)stream.Generation << 32),
        };
        if (epoll_ctl(_epoll, EpollCtlAdd, fd, &change) < 0) throw LoopStream.Error(Marshal.GetLastPInvokeError());
    }

    /// <summary>Frees the stream's slot, once its socket is closed. Closing the socket ends the watch: the descriptor is
    /// never duplicated, so the kernel drops it from the epoll set at <c>close</c> (no <c>EPOLL_CTL_DEL</c>: one system
    /// call a probe fewer). An event read before the close and handled after it finds the slot freed or taken by a later
    /// stream, of another generation, and is ignored.</summary>
    public void Remove(LoopStream stream)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_slots[stream.Slot], stream)) return;
            _slots[stream.Slot] = null;
            _freeSlots.Push(stream.Slot);
        }
    }

    /// <summary>What code run on the loop's thread hands to another thread: a probe's result to its check's actor.</summary>
    internal interface IHandOff
    {
        /// <summary>Called on the loop's thread: must neither block nor throw.</summary>
        void HandOff();
    }

    /// <summary>On a loop's thread, holds <paramref name="handOff"/> and returns true: the loop makes it, with every other
    /// it holds, once it has handled the events in hand and <see cref="HoldFor"/> has passed since the first was held,
    /// waiting for events no longer than that. Elsewhere returns false: the caller hands off itself.</summary>
    /// <remarks>A probe's result, told to its actor, wakes a thread-pool worker to run the actor's turn, and the results
    /// of a timer slot's probes come back one by one: at 1,000 HTTP checks every 1 s that was most of the daemon's context
    /// switches. Held for 20 ms, a slot's results wake the pool together (measured in the lab, the same load: context
    /// switches 0.85 → 0.51 a probe, <c>futex</c> calls 1.13 → 0.58, CPU a probe 2–3% lower than the build before in four
    /// runs side by side; README "Performance", round 9).</remarks>
    public static bool TryHold(IHandOff handOff)
    {
        var loop = t_loop;
        if (loop is null) return false;
        if (loop._held.Count == 0) loop._handOffAt = Stopwatch.GetTimestamp() + HoldTicks;
        loop._held.Add(handOff);
        return true;
    }

    // How long the loop may wait for events (ms, -1: without end): until the hand-offs held are due.
    private int WaitTimeout()
    {
        if (_held.Count == 0) return -1;
        var left = _handOffAt - Stopwatch.GetTimestamp();
        return left <= 0 ? 0 : (int)((left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency);
    }

    // The hand-offs held, once due. By index: one that held another meanwhile (it should not) leaves it for the next turn.
    private void HandOffHeld()
    {
        var count = _held.Count;
        if (count == 0 || Stopwatch.GetTimestamp() < _handOffAt) return;
        for (var i = 0; i < count; i++) _held[i].HandOff();
        _held.RemoveRange(0, count);
    }

    private void Run()
    {
        const int batch = 256;
        var events = stackalloc EpollEvent[batch];
        t_loop = this;
        while (true)
        {
            var count = epoll_wait(_epoll, events, batch, WaitTimeout());
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr) continue;
                throw LoopStream.Error(errno); // a broken epoll descriptor: nothing a probe could do would work
            }
            for (var i = 0; i < count; i++)
            {
                var data = events[i].Data;
                var (slot, generation) = ((int)(uint)data, (uint)(data >> 32));
                var slots = Volatile.Read(ref _slots);
                var stream = slot < slots.Length ? Volatile.Read(ref slots[slot]) : null;
                stream?.OnEvents(generation, events[i].Events);
            }
            HandOffHeld();
        }
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* change);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, EpollEvent* events, int max, int timeout);
}
