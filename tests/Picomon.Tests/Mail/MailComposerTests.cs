using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Picomon.Checks;
using Picomon.Mail;
using Picomon.Notifications;
using static Picomon.Tests.Mail.MailFixtures;

namespace Picomon.Tests.Mail;

public sealed class MailComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 2, 3, TimeSpan.FromHours(1));
    private readonly MailComposer _composer = new("monitor.example.org");

    [Theory]
    [InlineData("[DOMAIN] {state}: {check} on {dest}", "[DOMAIN] Problem: CheckSMTP4 on mail.example.org")]
    [InlineData("{foo} {state} {} {STATE}", "<no substitution> Problem <no substitution> <no substitution>")]
    [InlineData("{{state}} }} { alone", "{state} } { alone")]
    [InlineData("no placeholder at all", "no placeholder at all")]
    public void Problem_subject_substitutes_the_template(string template, string expected)
    {
        var mail = _composer.Render(Settings(subjectTemplate: template), Problem("Connection refused", Now), []);
        Assert.Equal(expected, mail.Subject);
    }

    [Fact]
    public void Recovery_subject_says_OK()
    {
        var mail = _composer.Render(Settings(), Ok(Now.AddMinutes(-5), Now), ["<p@x>"]);
        Assert.Equal("[DOMAIN] OK: CheckSMTP4 on mail.example.org", mail.Subject);
    }

    [Fact]
    public void Problem_body_names_the_check_and_its_trimmed_failure()
    {
        var mail = _composer.Render(Settings(), Problem("  MAIL FROM rejected: 550 no\nsecond line\n", Now), []);
        Assert.Equal("Check smtp4/mx (CheckSMTP4 on mail.example.org):\nfailure:\nMAIL FROM rejected: 550 no\nsecond line\n", mail.Body);
        Assert.Equal((MailKind.Problem, "smtp4/mx", (string?)null), (mail.Kind, mail.CheckId, mail.InReplyTo));
        Assert.Equal("smtp4/mx#3", mail.Incident);
    }

    [Fact]
    public void Recovery_body_gives_the_duration_and_retries_and_threads_to_the_problem()
    {
        var mail = _composer.Render(Settings(), Ok(Now.AddMinutes(-12).AddMilliseconds(-700), Now), ["<problem@monitor>"]);
        // error-every = 5 ticks of 60 s: 12 min 0.7 s is 2 whole intervals.
        Assert.Equal("Check smtp4/mx (CheckSMTP4 on mail.example.org):\nrecovered after 0:12:00 (2 retries).\n", mail.Body);
        Assert.Equal(("<problem@monitor>", MailKind.Recovery), (mail.InReplyTo, mail.Kind));
        Assert.Equal("smtp4/mx#3", mail.Incident);
    }

    [Theory]
    [InlineData(300, 60, "0:05:00 (5 retries)")]
    [InlineData(60, 60, "0:01:00 (1 retry)")]
    [InlineData(119.9, 60, "0:01:59 (1 retry)")]
    [InlineData(0, 60, "0:00:00 (0 retries)")]
    [InlineData(59, 60, "0:00:59 (0 retries)")]
    [InlineData(26 * 3600 + 1, 3600, "26:00:01 (26 retries)")]
    [InlineData(3 * 86400 + 59 * 60 + 7, 300, "72:59:07 (875 retries)")]
    public void Recovery_duration_is_whole_seconds_and_retries_are_rounded_down(double seconds, int interval, string expected)
    {
        Assert.Equal($"recovered after {expected}.",
            NotificationText.RecoveredAfter(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(interval)));
    }

    [Fact]
    public void Report_body_is_the_state_text_after_the_age_line()
    {
        CheckInError[] errors = [new("smtp4/mx", "mail.example.org", Now.AddHours(-2), "Connection refused")];
        var mail = _composer.Report(Settings(), TimeSpan.FromHours(1), errors, [new("ping4/localhost", false)], Now);
        Assert.Equal("[DOMAIN] Picomon error report", mail.Subject);
        Assert.Equal("Following entries have failed for more than 3600s:\n" + StateText.Body(errors, [new("ping4/localhost", false)]), mail.Body);
        Assert.StartsWith("Following entries have failed for more than 3600s:\n\n    Checks in error:\n-+-+", mail.Body);
        Assert.Equal((MailKind.Report, (string?)null, (string?)null), (mail.Kind, mail.CheckId, mail.Incident));
        Assert.DoesNotContain(OutgoingMail.IncidentHeader, Serialize(mail.ToMimeMessage()));
    }

    [Fact]
    public void Stopped_mail_gives_the_exit_status()
    {
        var mail = _composer.Stopped(Settings(), 0, Now);
        Assert.Equal(("[DOMAIN] Picomon stopped", "Picomon exited with status 0\n", MailKind.Stopped),
            (mail.Subject, mail.Body, mail.Kind));
    }

    [Fact]
    public void Headers_come_from_the_settings_and_the_clock()
    {
        var mail = _composer.Render(Settings(), Problem("x", Now), []);
        Assert.Equal("Picomon <picomon@monitor.example.org>", mail.From);
        Assert.Equal(["ops@example.org", "Oncall <oncall@example.org>"], mail.To);
        Assert.Equal(Now, mail.Date);
        Assert.Matches(@"^<20261124100203\.[0-9a-f]{32}@monitor\.example\.org>$", mail.MessageId);
    }

    [Fact]
    public void An_empty_addr_from_falls_back_to_the_default()
    {
        Assert.Equal("Picomon <picomon@host.example>", MailComposer.DefaultFrom("host.example"));
        Assert.Equal("Picomon <picomon@monitor.example.org>", _composer.Stopped(Settings(addrFrom: ""), 1, Now).From);
    }

    [Fact]
    public void Message_ids_are_unique()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => _composer.Stopped(Settings(), 0, Now).MessageId).ToHashSet();
        Assert.Equal(2000, ids.Count);
    }

    [Fact]
    public void Mime_form_is_utf8_quoted_printable_and_survives_a_round_trip()
    {
        var mail = _composer.Render(Settings(), Problem("réponse ✓ invalide", Now), []);
        var raw = Serialize(mail.ToMimeMessage());
        Assert.Contains("Content-Type: text/plain; charset=utf-8", raw);
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", raw);
        Assert.True(raw.All(c => c < 128), "the raw message is 7-bit");
        var parsed = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));
        Assert.Equal(mail.Body, parsed.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal(mail.Subject, parsed.Subject);
        Assert.Equal(Now, parsed.Date);
    }

    [Fact]
    public void Mime_form_carries_the_message_id_exactly_and_threading_headers_when_answering()
    {
        var problem = _composer.Render(Settings(), Problem("x", Now), []);
        var recovery = _composer.Render(Settings(), Ok(Now, Now.AddMinutes(5)), [problem.MessageId]);
        var raw = Serialize(recovery.ToMimeMessage());
        Assert.Matches(new Regex($"^Message-I[dD]: {Regex.Escape(recovery.MessageId)}\r?$", RegexOptions.Multiline), raw);
        Assert.Matches(new Regex($"^In-Reply-To: {Regex.Escape(problem.MessageId)}\r?$", RegexOptions.Multiline), raw);
        Assert.Matches(new Regex($"^References: {Regex.Escape(problem.MessageId)}\r?$", RegexOptions.Multiline), raw);
        Assert.Matches(new Regex(@"^X-Picomon-Incident: smtp4/mx#3\r?$", RegexOptions.Multiline), raw);
        Assert.Matches(new Regex(@"^X-Picomon-Incident: smtp4/mx#3\r?$", RegexOptions.Multiline), Serialize(problem.ToMimeMessage()));
        Assert.DoesNotContain("In-Reply-To", Serialize(problem.ToMimeMessage()));
        Assert.DoesNotContain("References", Serialize(problem.ToMimeMessage()));
    }

    [Fact]
    public void Outgoing_mail_survives_a_json_round_trip()
    {
        var mail = _composer.Render(Settings(), Ok(Now, Now.AddMinutes(5)), ["<p@x>"]);
        var back = JsonSerializer.Deserialize<OutgoingMail>(JsonSerializer.Serialize(mail))!;
        Assert.Equal(mail with { To = back.To }, back);
        Assert.Equal(mail.To, back.To);
    }

    [Fact]
    public void A_reminder_answers_the_message_that_announced_the_incident()
    {
        var mail = _composer.Render(Settings(), Reminder(Now, Now.AddHours(2).AddSeconds(5)), ["<problem@monitor>"]);

        Assert.Equal("[DOMAIN] Reminder: CheckSMTP4 on mail.example.org", mail.Subject);
        Assert.Equal($"Check smtp4/mx (CheckSMTP4 on mail.example.org):\nstill in error after 2:00:05, since {NotificationText.LocalTime(Now)}:\nConnection refused\n",
            mail.Body);
        Assert.Equal((MailKind.Reminder, "<problem@monitor>", null, "smtp4/mx#3"), (mail.Kind, mail.InReplyTo, mail.References, mail.Incident));
    }

    [Fact]
    public void A_flapping_mail_answers_the_problem_with_Flapping_as_its_state_word_and_says_what_is_held()
    {
        var flapping = Reminder(Now, Now.AddMinutes(9)) with
        {
            Kind = NotificationKind.Flapping,
            Message = "the state changed in 34% of the last 10 runs (weighted); notifications are held until it settles.",
        };
        var mail = _composer.Render(Settings(), flapping, ["<problem@monitor>"]);

        Assert.Equal("[DOMAIN] Flapping: CheckSMTP4 on mail.example.org", mail.Subject);
        Assert.Equal("Check smtp4/mx (CheckSMTP4 on mail.example.org):\nflapping:\n"
            + "the state changed in 34% of the last 10 runs (weighted); notifications are held until it settles.\n", mail.Body);
        Assert.Equal((MailKind.Flapping, "<problem@monitor>", "smtp4/mx#3"), (mail.Kind, mail.InReplyTo, mail.Incident));
        Assert.Equal("flapping", Picomon.Actors.Mailer.KindLabel(mail.Kind));
    }

    [Fact]
    public void A_digest_lists_one_line_per_item_counts_what_recovered_before_and_answers_every_announcing_message()
    {
        var web = new Notification(NotificationKind.Problem, "http4/web#1", "http4/web", "CheckHTTP4", "web", CheckStatus.Error, Now, Now,
            "HTTP 503 Service Unavailable (expected 2xx/3xx)\nsecond line", ErrorInterval);
        var digest = new Announcement([web, Ok(Now.AddMinutes(-10), Now), Reminder(Now.AddHours(-1), Now)], 2,
            new NotificationGroup(Picomon.Configuration.GroupBy.All, ""));

        var mail = _composer.Digest(Settings(), "[DOMAIN] {problems} Problem, {oks} OK: {checks}", digest, ["<a@x>", "<b@x>"], Now);

        Assert.Equal("[DOMAIN] 2 Problem, 1 OK: http4/web, smtp4/mx", mail.Subject);
        Assert.Equal("""
            Problem: http4/web (CheckHTTP4 on web): HTTP 503 Service Unavailable (expected 2xx/3xx)
            OK: smtp4/mx (CheckSMTP4 on mail.example.org): recovered after 0:10:00 (2 retries).
            Reminder: smtp4/mx (CheckSMTP4 on mail.example.org): in error for 1:00:00: Connection refused

            2 recovered before notification.

            """, mail.Body);
        Assert.Equal((MailKind.Digest, null, "http4/web#1, smtp4/mx#3"), (mail.Kind, mail.CheckId, mail.Incident));
        var raw = Serialize(mail.ToMimeMessage());
        Assert.Matches(new Regex(@"^In-Reply-To: <a@x>\r?$", RegexOptions.Multiline), raw);
        Assert.Matches(new Regex(@"^References: <a@x> <b@x>\r?$", RegexOptions.Multiline), raw);
        var parsed = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(raw)));
        Assert.Equal(["a@x", "b@x"], parsed.References);
        Assert.Equal("a@x", parsed.InReplyTo);
    }

    [Fact]
    public void A_digest_names_the_first_three_checks_then_how_many_more()
    {
        var items = Enumerable.Range(1, 20).Select(i => Problem("down", Now) with { CheckId = $"tcp4/h{i}", Incident = $"tcp4/h{i}#1" }).ToList();
        var digest = new Announcement(items, 0, new NotificationGroup(Picomon.Configuration.GroupBy.All, ""));

        var mail = _composer.Digest(Settings(), "[DOMAIN] {problems} Problem, {oks} OK ({reminders} reminders): {checks}", digest, [], Now);

        Assert.Equal("[DOMAIN] 20 Problem, 0 OK (0 reminders): tcp4/h1, tcp4/h2, tcp4/h3 and 17 more", mail.Subject);
        Assert.Null(mail.InReplyTo);
        Assert.DoesNotContain("References", Serialize(mail.ToMimeMessage()));
    }

    private static string Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
