using System.Net.Sockets;
using Picomon.Actors;
using Picomon.Checks;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Probes;

namespace Picomon.Tests.Support;

/// <summary>Check definitions for actor specs, built directly (no configuration file).</summary>
public static class ActorTestChecks
{
    public static readonly CheckType TestType =
        CheckType.Of("test", "CheckTest", TargetKind.Hosts, AddressFamily.InterNetwork, NoOptions.Read, _ => new ControllableProbe());

    public static readonly EmailSettings Emails = new(
        ["ops@example.org"], "Picomon <picomon@mon.example.org>", "localhost", 25, TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(60), SmtpTls.None, null, null, "[DOMAIN] {state}: {check} on {dest}",
        TimeSpan.Zero, "[DOMAIN] Picomon error report", "[DOMAIN] Picomon stopped");

    /// <summary>A composer on a fixed host name.</summary>
    public static readonly MailComposer Composer = new("mon.example.org");

    /// <summary>ok-after 1, flap detection off: the configuration's defaults.</summary>
    public static readonly AlertRules PlainRules = new(1, 0, 0.30, 0.25);

    /// <param name="timeout">Real time (ProbeRunner's timeout is not virtual): long by default, so it never fires.</param>
    public static CheckDefinition Check(
        string id = "test/host", int every = 1, int errorEvery = 1, int retry = 1, TimeSpan? timeout = null, AlertRules? rules = null) =>
        new(id, TestType, new ProbeTarget("host", "host", "127.0.0.1", AddressFamily.InterNetwork),
            every, errorEvery, retry, timeout ?? TimeSpan.FromMinutes(10), NoOptions.Instance, rules ?? PlainRules);
}
