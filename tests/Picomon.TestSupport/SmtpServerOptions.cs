using MimeKit;

namespace Picomon.TestSupport;

/// <summary>How the test SMTP server (<see cref="SmtpServer"/>) behaves.</summary>
public sealed record SmtpServerOptions
{
    /// <summary>RCPT TO this address is refused with 550.</summary>
    public string? RejectRecipient { get; init; }

    /// <summary>A message whose Subject contains this text is refused with 554 after DATA.</summary>
    public string? RejectSubjectMarker { get; init; }

    /// <summary>Offer STARTTLS with a throwaway self-signed certificate.</summary>
    public bool StartTls { get; init; }

    /// <summary>Speak TLS from the first byte (SMTPS), with the same kind of certificate.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>When set, AUTH (PLAIN/LOGIN) with this user and <see cref="AuthPassword"/> is required.</summary>
    public string? AuthUser { get; init; }

    public string? AuthPassword { get; init; }

    internal bool NeedsCertificate => StartTls || ImplicitTls;
}

/// <summary>A message the test server accepted: its raw text, parsed, and how it arrived.</summary>
/// <param name="File">Its file name in the server's directory (arrival order).</param>
/// <param name="PeerPort">The client's source port: equal ports mean the same SMTP connection.</param>
/// <param name="Tls">Whether the connection was encrypted when the message was sent.</param>
/// <param name="AuthUser">The authenticated user, or null.</param>
public sealed record ReceivedMail(string File, int PeerPort, bool Tls, string? AuthUser, string Raw, MimeMessage Message);
