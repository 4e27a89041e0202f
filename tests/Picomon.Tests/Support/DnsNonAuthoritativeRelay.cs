using System.Net;
using System.Net.Sockets;

namespace Picomon.Tests.Support;

/// <summary>A UDP relay in front of a real DNS server that clears the AA (authoritative answer)
/// flag of every reply: dnsmasq sets AA even on forwarded and local answers, so this is how a
/// test gets a name server that answers the SOA without authority (a lame delegation).</summary>
public sealed class DnsNonAuthoritativeRelay : IDisposable
{
    private readonly UdpClient _listener;
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public DnsNonAuthoritativeRelay(IPEndPoint listen, IPEndPoint upstream)
    {
        _listener = new UdpClient(listen);
        _upstream = upstream;
        _loop = Task.Run(RelayAsync);
    }

    private async Task RelayAsync()
    {
        try
        {
            while (true)
            {
                var query = await _listener.ReceiveAsync(_stop.Token);
                using var forward = new UdpClient(_upstream.AddressFamily);
                await forward.SendAsync(query.Buffer, _upstream, _stop.Token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var reply = (await forward.ReceiveAsync(timeout.Token)).Buffer;
                reply[2] &= unchecked((byte)~0x04); // header byte 2: QR, opcode, AA (0x04), TC, RD
                await _listener.SendAsync(reply, query.RemoteEndPoint, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // disposed
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _listener.Dispose();
        _stop.Dispose();
    }
}
