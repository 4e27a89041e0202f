using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;

namespace Picomon.TestSupport;

/// <summary>A real SMTP server on loopback for tests: Debian's aiosmtpd driven by
/// <c>testdata/smtp/smtp_server.py</c>. Owns the python process (killed on Dispose), a temporary
/// directory holding one file per received message, and the event lines the script prints
/// (connections, disconnections, messages, rejections). It can be stopped and started again on
/// the same port, for "server down, then up" tests.</summary>
public sealed class SmtpServer : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "testdata", "smtp", "smtp_server.py");

    private readonly SmtpServerOptions _options;
    private readonly string _root;
    private readonly List<string> _events = [];
    private readonly List<ReceivedMail> _messages = [];
    private readonly List<string> _stderr = [];
    private Process? _process;

    private SmtpServer(SmtpServerOptions options)
    {
        _options = options;
        _root = Directory.CreateTempSubdirectory("picomon-smtp-").FullName;
        MailDirectory = Directory.CreateDirectory(Path.Combine(_root, "mail")).FullName;
        if (options.NeedsCertificate) Certificate = WriteSelfSignedCertificate(_root);
    }

    /// <summary>The port the server listens on (127.0.0.1), kept across <see cref="StopAsync"/>/<see cref="StartAgainAsync"/>.</summary>
    public int Port { get; private set; }

    public string MailDirectory { get; }

    /// <summary>The self-signed certificate the server presents (STARTTLS or implicit TLS), else null.</summary>
    public X509Certificate2? Certificate { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Every event line printed so far (<c>CONNECT 41234</c>, <c>MESSAGE 000001.eml 41234 0 -</c>, …).</summary>
    public IReadOnlyList<string> Events { get { lock (_events) return [.. _events]; } }

    /// <summary>The accepted messages, in arrival order.</summary>
    public IReadOnlyList<ReceivedMail> Messages { get { lock (_events) return [.. _messages]; } }

    public int Connections => Events.Count(e => e.StartsWith("CONNECT ", StringComparison.Ordinal));
    public int Disconnections => Events.Count(e => e.StartsWith("DISCONNECT ", StringComparison.Ordinal));

    /// <summary>Starts a server on a free port and returns once it accepts connections.</summary>
    public static async Task<SmtpServer> StartAsync(SmtpServerOptions? options = null)
    {
        var server = new SmtpServer(options ?? new SmtpServerOptions());
        try
        {
            await server.LaunchAsync(port: 0);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server: connections drop, the port refuses until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port; received messages keep their numbering.</summary>
    public Task StartAgainAsync() =>
        IsRunning ? throw new InvalidOperationException("the SMTP server is already running") : LaunchAsync(Port);

    public Task<IReadOnlyList<ReceivedMail>> WaitForMessagesAsync(int count, TimeSpan? within = null) =>
        WaitForAsync(() => Messages is var m && m.Count >= count ? m : null, $"{count} message(s)", within);

    /// <summary>Polls (real time) until <paramref name="condition"/> holds, else throws a TimeoutException.</summary>
    public async Task WaitUntilAsync(Func<SmtpServer, bool> condition, string what, TimeSpan? within = null) =>
        await WaitForAsync(() => condition(this) ? this : null, what, within);

    public void Dispose()
    {
        if (_process is not null)
        {
            try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
            catch (InvalidOperationException) { /* already gone */ }
            _process.Dispose();
            _process = null;
        }
        Certificate?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private async Task<T> WaitForAsync<T>(Func<T?> probe, string what, TimeSpan? within) where T : class
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWait);
        while (true)
        {
            if (probe() is { } found) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"SMTP test server: no {what} within {within ?? DefaultWait}; events: {string.Join(" | ", Events)}");
            await Task.Delay(20);
        }
    }

    private async Task LaunchAsync(int port)
    {
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = StartInfo(port), EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) OnEvent(line, listening); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (_stderr) _stderr.Add(line); };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"SMTP test server exited: {string.Join("\n", Stderr())}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Port = await listening.Task.WaitAsync(DefaultWait);
    }

    private ProcessStartInfo StartInfo(int port)
    {
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string?[] args =
        [
            "-u", Script, "--port", port.ToString(), "--dir", MailDirectory,
            .. Flag("--reject-rcpt", _options.RejectRecipient),
            .. Flag("--reject-subject", _options.RejectSubjectMarker),
            .. Flag("--auth-user", _options.AuthUser),
            .. Flag("--auth-password", _options.AuthPassword),
            _options.StartTls ? "--starttls" : null,
            _options.ImplicitTls ? "--implicit-tls" : null,
            .. Flag("--cert", _options.NeedsCertificate ? Path.Combine(_root, "cert.pem") : null),
            .. Flag("--key", _options.NeedsCertificate ? Path.Combine(_root, "key.pem") : null),
        ];
        foreach (var arg in args.OfType<string>()) info.ArgumentList.Add(arg);
        return info;
    }

    private static string?[] Flag(string name, string? value) => value is null ? [] : [name, value];

    private void OnEvent(string line, TaskCompletionSource<int> listening)
    {
        var fields = line.Split(' ');
        if (fields[0] == "LISTENING")
        {
            listening.TrySetResult(int.Parse(fields[1]));
            return;
        }
        lock (_events)
        {
            _events.Add(line);
            if (fields[0] == "MESSAGE") _messages.Add(LoadMessage(fields));
        }
    }

    private ReceivedMail LoadMessage(string[] fields)
    {
        var path = Path.Combine(MailDirectory, fields[1]);
        var raw = File.ReadAllText(path);
        var message = MimeMessage.Load(path);
        return new ReceivedMail(fields[1], int.Parse(fields[2]), fields[3] == "1", fields[4] == "-" ? null : fields[4], raw, message);
    }

    private string[] Stderr() { lock (_stderr) return [.. _stderr]; }

    private static X509Certificate2 WriteSelfSignedCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }
}
