using System.Text;
using MimeKit;
using MimeKit.Text;

namespace Picomon.Mail;

/// <summary>Why a mail is sent.</summary>
public enum MailKind { Problem, Recovery, Report, Stopped, Reminder, Digest, Flapping, Affected }

/// <summary>One mail, ready to send: plain data (no MimeKit types), so the outbox can store it and a
/// later start can send it unchanged. Built by <see cref="MailComposer"/>.</summary>
/// <param name="MessageId">The Message-ID header exactly as sent, angle brackets included.</param>
/// <param name="InReplyTo">The Message-ID this mail answers (In-Reply-To, and References unless
/// <paramref name="References"/> says more), or null.</param>
/// <param name="CheckId">The check a Problem/Recovery mail is about; null for reports and the stop mail.</param>
/// <param name="Incident">The incident a Problem/Recovery/Reminder mail is about (<c>http4/web#3</c>; a digest's,
/// comma-separated), sent as the <see cref="IncidentHeader"/> header; null for reports and the stop mail.</param>
/// <param name="References">Every Message-ID this mail answers, space-separated, when there are several (a digest
/// answering the messages that announced its incidents); null otherwise.</param>
public sealed record OutgoingMail(
    string MessageId,
    string From,
    IReadOnlyList<string> To,
    string Subject,
    string Body,
    string? InReplyTo,
    DateTimeOffset Date,
    MailKind Kind,
    string? CheckId,
    string? Incident = null,
    string? References = null)
{
    public const string IncidentHeader = "X-Picomon-Incident";

    /// <summary>The MIME form: text/plain, UTF-8, quoted-printable, threading headers when answering, the
    /// incident header when about one.
    /// Throws <see cref="ParseException"/> when From or a recipient is not a valid address.</summary>
    public MimeMessage ToMimeMessage()
    {
        var message = new MimeMessage();
        message.From.Add(InternetAddress.Parse(From));
        foreach (var to in To) message.To.Add(InternetAddress.Parse(to));
        message.Subject = Subject;
        message.Date = Date;
        message.Headers[HeaderId.MessageId] = MessageId;
        if (InReplyTo is not null)
        {
            message.Headers[HeaderId.InReplyTo] = InReplyTo;
            message.Headers[HeaderId.References] = References ?? InReplyTo;
        }
        if (Incident is not null) message.Headers[IncidentHeader] = Incident;
        var body = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        body.SetText(Encoding.UTF8, Body);
        message.Body = body;
        return message;
    }
}
