using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Picomon.Net;

/// <summary>A connected TCP socket as an asynchronous-only <see cref="Stream"/>, on <see cref="SocketLoop"/> (Linux). Each
/// read and write is first tried at once on a non-blocking socket; only a "would block" waits, for the loop's next
/// event in that direction. Errors are thrown as <see cref="NetworkStream"/> throws them: a <see cref="SocketException"/>
/// from connecting, an <see cref="IOException"/> around one from reading or writing. Disposing closes the socket; a
/// wait in progress then ends with <see cref="ObjectDisposedException"/>. Once the peer has closed its end, disposing
/// resets the connection rather than closing it in turn (see <see cref="Dispose"/>).</summary>
internal sealed partial class LoopStream : Stream
{
    private const int AfInet = 2, AfInet6 = 10, SockStream = 1, SockNonBlock = 0x800, SockCloexec = 0x80000, MsgNoSignal = 0x4000;
    private const int SolSocket = 1, SoError = 4, SoLinger = 13, IpProtoTcp = 6, TcpNoDelay = 1;
    private const int Eintr = 4, Eagain = 11, Einprogress = 115;

    private readonly SocketLoop _loop;
    private readonly Lock _gate = new();
    private readonly int _fd;
    private int _readEvents, _writeEvents; // readiness events seen in each direction, under the lock
    // The read events counted when a receive last found nothing to read (none yet when the socket is new): while the count
    // has not moved since, nothing has arrived, and a read waits for the next event without trying the system call first.
    private int _emptyAtReadEvents;
    private bool _errorEvent; // an event reported an error or a hang-up, under the lock
    private bool _peerClosed; // the peer has closed its end (an event said so, or a read found the end), under the lock
    private Waiter? _reader, _writer;
    private bool _closed;

    private LoopStream(SocketLoop loop, int fd) => (_loop, _fd) = (loop, fd);

    /// <summary>The stream's place in the loop (set by <see cref="SocketLoop.Add"/>).</summary>
    internal int Slot { get; set; }

    /// <summary>Tells this stream's events from those of an earlier one in the same slot.</summary>
    internal uint Generation { get; set; }

    /// <summary>Connects to <paramref name="endpoint"/>; <paramref name="noDelay"/> turns Nagle's algorithm off (for a
    /// protocol that writes several small pieces before it reads, as a TLS handshake does).</summary>
    public static async ValueTask<LoopStream> ConnectAsync(IPEndPoint endpoint, bool noDelay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var loop = SocketLoop.Shared;
        var address = endpoint.Serialize();
        var fd = Open(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet, noDelay);
        var stream = new LoopStream(loop, fd);
        try
        {
            var started = Connect(fd, address);
            // Watched only once connect has begun: an unconnected socket reports a hang-up, which would pass for the end
            // of the connect. A connect that ends before this is reported at once by the watch itself.
            loop.Add(stream, fd);
            if (started == Einprogress)
            {
                await stream.WaitAsync(write: true, seen: 0, cancellationToken);
                started = stream.ConnectError();
            }
            if (started != 0) throw Error(started);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static unsafe int Open(int family, bool noDelay)
    {
        var fd = socket(family, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0) throw Error(Marshal.GetLastPInvokeError());
        var one = 1;
        if (noDelay && setsockopt(fd, IpProtoTcp, TcpNoDelay, &one, sizeof(int)) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            close(fd);
            throw Error(errno);
        }
        return fd;
    }

    /// <returns>0 when connected, <c>EINPROGRESS</c> when under way, else the error.</returns>
    private static unsafe int Connect(int fd, SocketAddress address)
    {
        fixed (byte* bytes = address.Buffer.Span)
        {
            while (true)
            {
                if (connect(fd, bytes, address.Size) == 0) return 0;
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Eintr) return errno;
            }
        }
    }

    /// <summary>How the connect that was under way ended, once the socket was reported writable: 0 when connected. The
    /// kernel reports a failed connect with an error or hang-up event; only then is the error asked for
    /// (<c>SO_ERROR</c>), one system call a probe fewer.</summary>
    private int ConnectError()
    {
        lock (_gate)
        {
            if (!_errorEvent) return 0;
        }
        return PendingError();
    }

    // Makes the close that follows send a reset. If the option cannot be set, the close is the usual FIN: nothing is lost.
    private static unsafe void Reset(int fd)
    {
        int* linger = stackalloc int[] { 1, 0 }; // struct linger: on, 0 s
        setsockopt(fd, SolSocket, SoLinger, linger, 2 * sizeof(int));
    }

    private unsafe int PendingError()
    {
        int error = 0, length = sizeof(int);
        return getsockopt(_fd, SolSocket, SoError, &error, &length) < 0 ? Marshal.GetLastPInvokeError() : error;
    }

    /// <summary>Receives what has arrived, else waits for the next read event and tries again. A read that follows one
    /// which found nothing, with no read event since (a reply read right after its request is written, the usual case),
    /// waits first: its receive could only have said "would block".</summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var seen = Seen(write: false);
            if (seen != _emptyAtReadEvents)
            {
                var n = Receive(buffer.Span);
                if (n == 0 && buffer.Length > 0) PeerClosed();
                if (n >= 0) return (int)n;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr) continue;
                if (errno != Eagain) throw TransportError("read data from", errno);
                _emptyAtReadEvents = seen;
            }
            await WaitAsync(write: false, seen, cancellationToken);
        }
    }

    private void PeerClosed()
    {
        lock (_gate) _peerClosed = true;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (sent < buffer.Length)
        {
            var seen = Seen(write: true);
            var n = Send(buffer.Span[sent..]);
            if (n >= 0)
            {
                sent += (int)n;
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eagain) await WaitAsync(write: true, seen, cancellationToken);
            else if (errno != Eintr) throw TransportError("write data to", errno);
        }
    }

    private unsafe nint Receive(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer) return recv(_fd, bytes, buffer.Length, 0);
    }

    private unsafe nint Send(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer) return send(_fd, bytes, buffer.Length, MsgNoSignal);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Seen(bool write)
    {
        lock (_gate) return write ? _writeEvents : _readEvents;
    }

    /// <summary>Completes at once if an event in that direction came since <paramref name="seen"/> was read (the system
    /// call that would have blocked may succeed now), else at the next one.</summary>
    private ValueTask WaitAsync(bool write, int seen, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if ((write ? _writeEvents : _readEvents) != seen) return ValueTask.CompletedTask;
            var waiter = write ? _writer ??= new Waiter(_gate) : _reader ??= new Waiter(_gate);
            return waiter.Arm(cancellationToken);
        }
    }

    /// <summary>On the loop's thread: counts the event in each direction it concerns, and wakes what waits for it.</summary>
    internal void OnEvents(uint generation, uint events)
    {
        Waiter? reader = null, writer = null;
        lock (_gate)
        {
            if (generation != Generation || _closed) return;
            _errorEvent |= (events & (SocketLoop.EpollErr | SocketLoop.EpollHup)) != 0;
            _peerClosed |= (events & SocketLoop.EpollRdHup) != 0;
            if ((events & (SocketLoop.EpollIn | SocketLoop.EpollRdHup | SocketLoop.EpollHup | SocketLoop.EpollErr)) != 0)
            {
                _readEvents++;
                reader = _reader?.Take();
            }
            if ((events & (SocketLoop.EpollOut | SocketLoop.EpollHup | SocketLoop.EpollErr)) != 0)
            {
                _writeEvents++;
                writer = _writer?.Take();
            }
        }
        reader?.Complete(null);
        writer?.Complete(null);
    }

    /// <summary>Closes the socket. If the peer has closed its end already (a server that answered and hung up, as an HTTP
    /// server does after <c>Connection: close</c>), the close resets the connection (<c>SO_LINGER</c> 0) instead of sending
    /// a FIN of its own: the server's side, which closed first, then ends at once rather than waiting out TIME_WAIT (60 s
    /// on Linux) — a check every second would keep 60 of them on its target. The server has sent all it will send; one that
    /// closed only its sending side and still reads (a lingering close) reads a reset where it would have read the end.
    /// Until the peer has closed, the close is the usual FIN.</summary>
    /// <remarks>HAProxy's health checks close with a reset too. On loopback the receiving side's share of a segment is
    /// handled by the process that sends it, so the FIN, its acknowledgement and the server's TIME_WAIT socket were the
    /// probe's cost. Measured in the lab (1,000 HTTP checks every 1 s on nginx, two daemons side by side, with and without,
    /// places swapped): 4–5% less CPU a probe, the setsockopt included (README "Performance", round 10).</remarks>
    protected override void Dispose(bool disposing)
    {
        Waiter? reader, writer;
        bool peerClosed;
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            (reader, writer) = (_reader?.Take(), _writer?.Take());
            peerClosed = _peerClosed;
        }
        if (peerClosed) Reset(_fd);
        close(_fd);
        _loop.Remove(this);
        reader?.Complete(new ObjectDisposedException(GetType().FullName));
        writer?.Complete(new ObjectDisposedException(GetType().FullName));
        base.Dispose(disposing);
    }

    /// <summary>The exception for a failed system call, as the runtime's sockets name it: "Connection refused", ….</summary>
    internal static SocketException Error(int errno) => errno switch
    {
        1 or 13 => new SocketException((int)SocketError.AccessDenied),
        23 or 24 => new SocketException((int)SocketError.TooManyOpenSockets),
        32 => new SocketException((int)SocketError.Shutdown),
        99 => new SocketException((int)SocketError.AddressNotAvailable),
        101 => new SocketException((int)SocketError.NetworkUnreachable),
        103 => new SocketException((int)SocketError.ConnectionAborted),
        104 => new SocketException((int)SocketError.ConnectionReset),
        105 => new SocketException((int)SocketError.NoBufferSpaceAvailable),
        110 => new SocketException((int)SocketError.TimedOut),
        111 => new SocketException((int)SocketError.ConnectionRefused),
        113 => new SocketException((int)SocketError.HostUnreachable),
        _ => new SocketException((int)SocketError.SocketError, Marshal.GetPInvokeErrorMessage(errno)),
    };

    private static IOException TransportError(string verb, int errno)
    {
        var error = Error(errno);
        return new IOException($"Unable to {verb} the transport connection: {error.Message}.", error);
    }

    public override bool CanRead => !_closed;
    public override bool CanWrite => !_closed;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Asynchronous only: nothing reads a probe's connection synchronously, and blocking would stall the loop's thread.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>One direction's wait: a reusable value-task source, completed by the loop's event (on its thread), by
    /// the caller's cancellation, or by disposal. <see cref="Take"/> is called under the stream's lock, so exactly one of
    /// them completes a given wait.</summary>
    private sealed class Waiter(Lock gate) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;
        private CancellationTokenRegistration _cancellation;
        private bool _armed;

        public ValueTask Arm(CancellationToken cancellationToken)
        {
            _core.Reset();
            _armed = true;
            if (cancellationToken.CanBeCanceled)
                _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), this);
            return new ValueTask(this, _core.Version);
        }

        /// <summary>This wait, if armed, disarmed for the caller to complete.</summary>
        public Waiter? Take()
        {
            if (!_armed) return null;
            _armed = false;
            return this;
        }

        public void Complete(Exception? error)
        {
            _cancellation.Unregister();
            if (error is null) _core.SetResult(true);
            else _core.SetException(error);
        }

        private void Cancel(CancellationToken token)
        {
            lock (gate)
            {
                if (Take() is null) return;
            }
            _core.SetException(new OperationCanceledException(token));
        }

        public void GetResult(short token) => _core.GetResult(token);
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int connect(int fd, byte* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int setsockopt(int fd, int level, int name, int* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int getsockopt(int fd, int level, int name, int* value, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
