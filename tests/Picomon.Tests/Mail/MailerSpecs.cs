using Akka.Actor;
using Picomon.Actors;
using Picomon.Mail;
using Picomon.Tests.Support;

namespace Picomon.Tests.Mail;

public sealed class MailerSpecs : MailerSpecBase
{
    [Fact]
    public async Task Sends_several_mails_in_order_over_one_connection()
    {
        using var server = await SmtpServer.StartAsync();
        var mailer = await StartMailer(SettingsFor(server.Port), new MemoryOutbox());
        foreach (var subject in new[] { "one", "two", "three", "four" }) mailer.Tell(new Mailer.Send(Mail(subject)));

        var received = await server.WaitForMessagesAsync(4);
        Assert.Equal(["one", "two", "three", "four"], Subjects(received));
        Assert.Single(received.Select(m => m.PeerPort).Distinct());
        Assert.Equal(1, server.Connections);
        Assert.Equal("body of one\n", received[0].Message.TextBody?.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Keeps_mails_while_the_server_is_down_and_delivers_them_once_in_order_when_it_is_back()
    {
        using var server = await SmtpServer.StartAsync();
        await server.StopAsync();
        var outbox = new MemoryOutbox();
        var mailer = await StartMailer(SettingsFor(server.Port), outbox);

        await EventFilter.Warning(contains: "Connection refused").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("first")));
            return Task.CompletedTask;
        });
        mailer.Tell(new Mailer.Send(Mail("second")));
        mailer.Tell(new Mailer.Send(Mail("third")));
        await EventFilter.Warning(contains: "Connection refused").ExpectOneAsync(Wait, () =>
        {
            Clock.Advance(RetryTimeout);
            return Task.CompletedTask;
        });

        await server.StartAgainAsync();
        Clock.Advance(RetryTimeout);
        var received = await server.WaitForMessagesAsync(3);
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));
        Assert.Equal(["first", "second", "third"], Subjects(server.Messages));
        Assert.Equal(0, outbox.Count);
        // Mail() makes reports; two attempts failed.
        Assert.Equal((3, 2, 0), (Counters.SentCount("email", "report"), Counters.FailedCount("email"), Counters.QueuedCount("email")));
    }

    [Fact]
    public async Task Reconnects_at_once_when_the_kept_connection_died_with_a_server_restart()
    {
        using var server = await SmtpServer.StartAsync();
        var mailer = await StartMailer(SettingsFor(server.Port), new MemoryOutbox());
        mailer.Tell(new Mailer.Send(Mail("before restart")));
        await server.WaitForMessagesAsync(1);
        await server.StopAsync();
        await server.StartAgainAsync();

        mailer.Tell(new Mailer.Send(Mail("after restart")));
        var received = await server.WaitForMessagesAsync(2);
        Assert.Equal(["before restart", "after restart"], Subjects(received));
        Assert.DoesNotContain(LogLines, line => line.Contains("[WARNING]", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Dead_letters_a_mail_refused_with_5xx_and_goes_on_with_the_next()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions
        {
            RejectRecipient = "nobody@example.org", RejectSubjectMarker = "[REJECT-ME]",
        });
        var outbox = new MemoryOutbox();
        var mailer = await StartMailer(SettingsFor(server.Port), outbox);

        await EventFilter.Error(contains: "550").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("to nobody", "nobody@example.org")));
            return Task.CompletedTask;
        });
        await EventFilter.Error(contains: "554").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("[REJECT-ME] refused after DATA")));
            return Task.CompletedTask;
        });
        mailer.Tell(new Mailer.Send(Mail("still delivered")));

        Assert.Equal(["still delivered"], Subjects(await server.WaitForMessagesAsync(1)));
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));
        Assert.Equal(["to nobody", "[REJECT-ME] refused after DATA"], outbox.DeadLetters.Select(d => d.Mail.Subject));
        Assert.StartsWith("550 ", outbox.DeadLetters[0].Reason);
    }

    [Fact]
    public async Task Logs_the_alert_at_warning_instead_of_mailing_when_there_are_no_recipients()
    {
        using var server = await SmtpServer.StartAsync();
        var mailer = await StartMailer(SettingsFor(server.Port), new MemoryOutbox());
        var mail = Mail("nobody to tell") with { To = [], Body = "Check x (CheckSMTP4 on mx):\nfailure:\nConnection refused\n" };

        await EventFilter.Warning(contains: "nobody to tell\nCheck x (CheckSMTP4 on mx):\nfailure:\nConnection refused").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(mail));
            return Task.CompletedTask;
        });
        mailer.Tell(new Mailer.Send(Mail("a real one")));
        Assert.Equal(["a real one"], Subjects(await server.WaitForMessagesAsync(1)));
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Flush_tries_at_once_and_reports_what_could_not_be_sent_by_the_deadline()
    {
        using var server = await SmtpServer.StartAsync();
        await server.StopAsync();
        var mailer = await StartMailer(SettingsFor(server.Port), new MemoryOutbox());
        await EventFilter.Warning(contains: "Connection refused").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("one")));
            mailer.Tell(new Mailer.Send(Mail("two")));
            return Task.CompletedTask;
        });

        var flusher = CreateTestProbe();
        await EventFilter.Warning(contains: "Connection refused").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Flush(TimeSpan.FromSeconds(10)), flusher);
            return Task.CompletedTask;
        });
        Clock.Advance(TimeSpan.FromSeconds(10));
        await flusher.ExpectMsgAsync(new Mailer.Flushed(2), Wait);

        await server.StartAgainAsync();
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));
        Assert.Equal(["one", "two"], Subjects(server.Messages));
    }

    [Fact]
    public async Task Applies_updated_settings_to_the_next_attempt()
    {
        using var down = await SmtpServer.StartAsync();
        await down.StopAsync();
        using var up = await SmtpServer.StartAsync();
        var mailer = await StartMailer(SettingsFor(down.Port), new MemoryOutbox());
        await EventFilter.Warning(contains: "Connection refused").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("rerouted")));
            return Task.CompletedTask;
        });

        mailer.Tell(new Mailer.UpdateSettings(SettingsFor(up.Port)));
        await mailer.Ask<ActorIdentity>(new Identify(null), Wait);
        Clock.Advance(RetryTimeout);
        Assert.Equal(["rerouted"], Subjects(await up.WaitForMessagesAsync(1)));
    }
}
