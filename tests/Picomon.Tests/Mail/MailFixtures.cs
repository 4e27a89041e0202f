using System.Net.Sockets;
using Picomon.Configuration;
using Picomon.Probes;

namespace Picomon.Tests.Mail;

/// <summary>Settings and checks shared by the mail tests.</summary>
internal static class MailFixtures
{
    public static EmailSettings Settings(
        IReadOnlyList<string>? to = null, string addrFrom = "Picomon <picomon@monitor.example.org>",
        string host = "127.0.0.1", int port = 25, SmtpTls tls = SmtpTls.Auto, string? user = null, string? password = null,
        TimeSpan? keepalive = null, TimeSpan? retry = null, string subjectTemplate = "[DOMAIN] {state}: {check} on {dest}") =>
        new(to ?? ["ops@example.org", "Oncall <oncall@example.org>"], addrFrom, host, port,
            keepalive ?? TimeSpan.FromSeconds(60), retry ?? TimeSpan.FromSeconds(60), tls, user, password,
            subjectTemplate, TimeSpan.FromHours(1), "[DOMAIN] Picomon error report", "[DOMAIN] Picomon stopped");

    /// <summary><c>smtp4/mx</c> on "mail.example.org", every 1 tick, error-every 5 ticks.</summary>
    public static CheckDefinition Check(string id = "smtp4/mx", string targetName = "mail.example.org") =>
        new(id, CheckTypes.Find("smtp4")!, new ProbeTarget("mx", targetName, "192.0.2.25", AddressFamily.InterNetwork),
            Every: 1, ErrorEvery: 5, Retry: 2, Timeout: TimeSpan.FromSeconds(2), NoOptions.Instance);
}
