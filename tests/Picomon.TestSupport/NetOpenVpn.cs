using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Picomon.TestSupport;

/// <summary>A real OpenVPN server (Debian package <c>openvpn</c>) in point-to-point TLS server mode on a
/// free loopback UDP port, with no tunnel device (<c>--dev null</c>) and a throwaway self-signed
/// certificate in a temporary directory. It answers a client hard reset with a server hard reset.</summary>
public sealed class NetOpenVpn : IDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _directory;
    private readonly TaskCompletionSource _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NetOpenVpn(IPAddress address)
    {
        _directory = Directory.CreateTempSubdirectory("picomon-openvpn-").FullName;
        var (cert, key) = WriteCertificate();
        Port = NetLoopback.ClosedUdpPort(address);
        var proto = address.AddressFamily == AddressFamily.InterNetworkV6 ? "udp6" : "udp";
        var start = new ProcessStartInfo("openvpn",
        [
            "--dev", "null", "--proto", proto, "--local", address.ToString(), "--lport", Port.ToString(),
            "--tls-server", "--ca", cert, "--cert", cert, "--key", key, "--dh", "none", "--float", "--verb", "3",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException("openvpn did not start");
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("link local (bound)") == true) _bound.TrySetResult();
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_bound.Task.Wait(StartDeadline))
            throw new TimeoutException($"openvpn did not bind port {Port} within {StartDeadline}");
    }

    public int Port { get; }

    private (string Cert, string Key) WriteCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=picomon-test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
