using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Picomon.Benchmarks;

/// <summary>What the same 1,000 HTTP requests a second cost without any of Picomon: the floor under the CPU-per-probe
/// figure. A child process (<c>Picomon.Benchmarks socket-floor MODE PORT</c>) sends, every 20 ms (the daemon's timer
/// slots), 20 requests of <c>GET /f…</c> to the logged nginx, each on a new connection, reads the first reply and closes;
/// its CPU is read from /proc and divided by the requests nginx logged, as for Picomon and Monit. Three clients: .NET's
/// blocking sockets one request after the other (Monit's way), .NET's asynchronous sockets all 20 at once with the
/// daemon's inline completions, and one thread on bare epoll through libc (no task, no thread hand-off).</summary>
public sealed partial class SocketFloor(string dir, Results results, bool quick)
{
    private static readonly string[] Modes = ["blocking", "async", "epoll"];
    private const int PerSlot = 20;
    private static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(20);

    private TimeSpan Window => TimeSpan.FromSeconds(quick ? 8 : 20);
    private int Windows => quick ? 1 : 3;

    public async Task RunAsync(Nginx nginx)
    {
        foreach (var mode in Modes) await MeasureAsync(nginx, mode);
    }

    private async Task MeasureAsync(Nginx nginx, string mode)
    {
        using var child = PicomonBinary.Start(Environment.ProcessPath!, ["socket-floor", mode, nginx.Port.ToString()], workingDirectory: dir);
        var stderr = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        var costs = new List<double>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(quick ? 2 : 4)); // the JIT's first tiers
            for (var w = 0; w < Windows; w++)
            {
                if (child.HasExited) throw new InvalidOperationException($"socket-floor {mode} exited {child.ExitCode}: {await stderr}");
                var (from, cpu) = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, ProcStat.CpuTime(child.Id));
                var wall = Stopwatch.StartNew();
                await Task.Delay(Window);
                var used = ProcStat.CpuTime(child.Id) - cpu;
                var to = from + wall.Elapsed.TotalSeconds;
                await Task.Delay(TimeSpan.FromSeconds(1.5)); // nginx flushes its log every second
                var requests = nginx.Requests(from, to, $"/f{mode[0]}").Count;
                costs.Add(requests == 0 ? double.NaN : used.TotalMicroseconds / requests);
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        results.Add(new Row($"CPU per HTTP request, 1,000 a second, no Picomon: {Describe(mode)}", $"{Results.Median(costs):0} µs", "", null,
            $"the floor under the figure above; median of {costs.Count} × {Window.TotalSeconds:0} s windows ({string.Join(", ", costs.Select(c => c.ToString("0")))} µs)"));
    }

    private static string Describe(string mode) => mode switch
    {
        "blocking" => ".NET blocking sockets, one after the other",
        "async" => ".NET asynchronous sockets, inline completions",
        _ => "one thread on bare epoll",
    };

    /// <summary>The child: sends requests until killed.</summary>
    public static async Task<int> ChildAsync(string mode, int port)
    {
        var request = Encoding.ASCII.GetBytes($"GET /f{mode[0]} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        switch (mode)
        {
            case "blocking":
                await EverySlotAsync(() =>
                {
                    var reply = new byte[4096];
                    for (var i = 0; i < PerSlot; i++)
                    {
                        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                        socket.Connect(endpoint);
                        socket.Send(request);
                        socket.Receive(reply);
                    }
                    return Task.CompletedTask;
                });
                return 0;
            case "async":
                Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"); // before the first socket
                await EverySlotAsync(() => Task.WhenAll(Enumerable.Range(0, PerSlot).Select(_ => AsyncRequestAsync(endpoint, request))));
                return 0;
            case "epoll":
                Epoll.Run(port, request);
                return 0;
            default:
                Console.Error.WriteLine($"unknown mode {mode}");
                return 2;
        }
    }

    private static async Task EverySlotAsync(Func<Task> slot)
    {
        var clock = Stopwatch.StartNew();
        for (var next = Slot; ; next += Slot)
        {
            await slot();
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
    }

    private static async Task AsyncRequestAsync(IPEndPoint endpoint, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        await socket.SendAsync(request);
        var reply = new byte[4096];
        await socket.ReceiveAsync(reply);
    }

    /// <summary>One thread: every slot, 20 non-blocking connects watched edge-triggered; a socket ready to write sends the
    /// request, one ready to read reads the reply and is closed. Loopback only: no error handling beyond counting on
    /// nginx's log.</summary>
    private static unsafe partial class Epoll
    {
        private const int SockNonBlock = 0x800, SockCloexec = 0x80000, MsgNoSignal = 0x4000;
        private const uint In = 0x1, Out = 0x4, EdgeTriggered = 0x80000000;

        public static void Run(int port, byte[] request)
        {
            var epoll = epoll_create1(SockCloexec);
            if (epoll < 0) throw new InvalidOperationException($"epoll_create1: errno {Marshal.GetLastPInvokeError()}");
            var address = new IPEndPoint(IPAddress.Loopback, port).Serialize();
            var sent = new HashSet<int>();
            Event* events = stackalloc Event[64];
            byte* reply = stackalloc byte[4096];
            var clock = Stopwatch.StartNew();
            var next = TimeSpan.Zero;
            fixed (byte* sockaddr = address.Buffer.Span)
            fixed (byte* bytes = request)
            {
                while (true)
                {
                    if (clock.Elapsed >= next)
                    {
                        next += Slot;
                        for (var i = 0; i < PerSlot; i++)
                        {
                            var fd = socket(2, 1 | SockNonBlock | SockCloexec, 0);
                            connect(fd, sockaddr, address.Size); // EINPROGRESS: the watch says when it is done
                            var watch = new Event { Events = In | Out | EdgeTriggered, Data = (ulong)fd };
                            epoll_ctl(epoll, 1, fd, &watch);
                        }
                    }
                    var count = epoll_wait(epoll, events, 64, Math.Max(0, (int)Math.Ceiling((next - clock.Elapsed).TotalMilliseconds)));
                    for (var i = 0; i < count; i++)
                    {
                        var fd = (int)events[i].Data;
                        if ((events[i].Events & Out) != 0 && sent.Add(fd)) send(fd, bytes, request.Length, MsgNoSignal);
                        if ((events[i].Events & In) != 0 && sent.Contains(fd) && recv(fd, reply, 4096, 0) != -1)
                        {
                            sent.Remove(fd);
                            close(fd);
                        }
                    }
                }
            }
        }

        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        private struct Event
        {
            public uint Events;
            public ulong Data;
        }

        [LibraryImport("libc", SetLastError = true)] private static partial int epoll_create1(int flags);
        [LibraryImport("libc", SetLastError = true)] private static partial int epoll_ctl(int epfd, int op, int fd, Event* change);
        [LibraryImport("libc", SetLastError = true)] private static partial int epoll_wait(int epfd, Event* events, int max, int timeout);
        [LibraryImport("libc", SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
        [LibraryImport("libc", SetLastError = true)] private static partial int connect(int fd, byte* address, int length);
        [LibraryImport("libc", SetLastError = true)] private static partial nint send(int fd, byte* buffer, nint length, int flags);
        [LibraryImport("libc", SetLastError = true)] private static partial nint recv(int fd, byte* buffer, nint length, int flags);
        [LibraryImport("libc", SetLastError = true)] private static partial int close(int fd);
    }
}
