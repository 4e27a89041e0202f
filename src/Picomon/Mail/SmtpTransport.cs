using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Picomon.Configuration;
using Picomon.Net;

namespace Picomon.Mail;

/// <summary>The one SMTP connection (MailKit), kept open between mails. Not thread-safe: the Mailer
/// runs one operation at a time on it. A kept connection may be dead without knowing it (the server
/// restarted: <c>IsConnected</c> still says true), so a send on a reused connection that fails at the
/// protocol level is retried once on a fresh connection before it counts as a failure.</summary>
public sealed class SmtpTransport(RemoteCertificateValidationCallback? certificateValidation) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly SmtpClient _client = new() { Timeout = (int)CommandTimeout.TotalMilliseconds };
    private (string Host, int Port, SmtpTls Tls, string? User, string? Password)? _endpoint;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Sends <paramref name="mail"/>, connecting (and authenticating) first when needed.
    /// Returns true when it had to open a connection. A failure leaves the connection closed, except
    /// after a permanent rejection, which keeps the session usable for the next mail.</summary>
    public async Task<bool> SendAsync(OutgoingMail mail, EmailSettings settings, CancellationToken cancellationToken)
    {
        var message = mail.ToMimeMessage();
        var endpoint = (settings.SmtpHost, settings.SmtpPort, settings.SmtpTls, settings.SmtpUser, settings.SmtpPassword);
        var reused = _client.IsConnected && _endpoint == endpoint;
        try
        {
            if (!reused) await ConnectAsync(settings, cancellationToken);
            try
            {
                await _client.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (reused && IsStaleConnection(e))
            {
                await ConnectAsync(settings, cancellationToken);
                await _client.SendAsync(message, cancellationToken);
                reused = false;
            }
            return !reused;
        }
        catch (Exception e) when (!IsPermanent(e))
        {
            await CloseAsync(quit: false);
            throw;
        }
    }

    /// <summary>Closes the connection, politely (QUIT) when <paramref name="quit"/> is true. Never throws.</summary>
    public async Task CloseAsync(bool quit)
    {
        _endpoint = null;
        try
        {
            if (_client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(CommandTimeout);
                await _client.DisconnectAsync(quit, timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or OperationCanceledException)
        {
            // The server went away first; the connection is closed either way.
        }
    }

    /// <summary>A refusal of this mail itself — retrying it would fail again: a 5xx reply to MAIL FROM,
    /// RCPT TO or DATA, or an address that cannot be parsed.</summary>
    public static bool IsPermanent(Exception e) => e switch
    {
        ParseException => true,
        SmtpCommandException c => (int)c.StatusCode >= 500 && c.ErrorCode is SmtpErrorCode.MessageNotAccepted
            or SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted,
        _ => false,
    };

    /// <summary>A short reason for a log line: the server's reply with its code, or the network error.</summary>
    public static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"{(int)c.StatusCode} {c.Message}",
        AuthenticationException a => $"authentication failed: {a.Message}",
        // MailKit's own message is several paragraphs of advice; the inner exception says what was wrong.
        SslHandshakeException h => $"TLS handshake failed: {h.InnerException?.Message ?? "certificate not accepted"}",
        _ => NetErrors.Describe(e),
    };

    public void Dispose() => _client.Dispose();

    private static bool IsStaleConnection(Exception e) =>
        e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
            || e is SmtpCommandException { StatusCode: SmtpStatusCode.ServiceNotAvailable };

    private async Task ConnectAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        await CloseAsync(quit: false);
        _client.ServerCertificateValidationCallback = certificateValidation;
        await _client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, SocketOptions(settings.SmtpTls), cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUser))
            await _client.AuthenticateAsync(settings.SmtpUser, settings.SmtpPassword ?? "", cancellationToken);
        _endpoint = (settings.SmtpHost, settings.SmtpPort, settings.SmtpTls, settings.SmtpUser, settings.SmtpPassword);
    }

    private static SecureSocketOptions SocketOptions(SmtpTls tls) => tls switch
    {
        SmtpTls.None => SecureSocketOptions.None,
        SmtpTls.StartTls => SecureSocketOptions.StartTls,
        SmtpTls.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}
