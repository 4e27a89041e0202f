using Akka.Actor;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Mail;
using Picomon.Tests.Support;

namespace Picomon.Tests.Mail;

/// <summary>TLS, AUTH and the kept-alive connection, against the real aiosmtpd server.</summary>
public sealed class MailerTransportSpecs : MailerSpecBase
{
    private const string Password = "s3cret-Pa55-word";

    [Theory]
    [InlineData(SmtpTls.Auto)]
    [InlineData(SmtpTls.StartTls)]
    public async Task Upgrades_to_TLS_when_the_server_offers_STARTTLS(SmtpTls tls)
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { StartTls = true });
        var mailer = await StartMailer(SettingsFor(server.Port, tls), new MemoryOutbox(), pinnedCertificateOf: server);
        mailer.Tell(new Mailer.Send(Mail("over STARTTLS")));
        Assert.True((await server.WaitForMessagesAsync(1))[0].Tls);
    }

    [Fact]
    public async Task Stays_in_plain_text_with_tls_none_even_when_STARTTLS_is_offered()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { StartTls = true });
        var mailer = await StartMailer(SettingsFor(server.Port, SmtpTls.None), new MemoryOutbox(), pinnedCertificateOf: server);
        mailer.Tell(new Mailer.Send(Mail("in clear")));
        Assert.False((await server.WaitForMessagesAsync(1))[0].Tls);
    }

    [Fact]
    public async Task Speaks_TLS_from_the_first_byte_with_tls()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { ImplicitTls = true });
        var mailer = await StartMailer(SettingsFor(server.Port, SmtpTls.Tls), new MemoryOutbox(), pinnedCertificateOf: server);
        mailer.Tell(new Mailer.Send(Mail("over SMTPS")));
        Assert.True((await server.WaitForMessagesAsync(1))[0].Tls);
    }

    [Fact]
    public async Task Refuses_an_untrusted_certificate_by_default_and_keeps_the_mail()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { StartTls = true });
        var outbox = new MemoryOutbox();
        var mailer = await StartMailer(SettingsFor(server.Port, SmtpTls.StartTls), outbox);
        await EventFilter.Warning(contains: "TLS handshake failed: The remote certificate").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("needs a trusted server")));
            return Task.CompletedTask;
        });
        Assert.Equal((1, 0), (outbox.Count, outbox.DeadLetters.Count));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Authenticates_and_never_logs_the_password()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { AuthUser = "picomon", AuthPassword = Password });
        var mailer = await StartMailer(SettingsFor(server.Port, user: "picomon", password: Password), new MemoryOutbox());
        mailer.Tell(new Mailer.Send(Mail("authenticated")));
        Assert.Equal("picomon", (await server.WaitForMessagesAsync(1))[0].AuthUser);
        Assert.NotEmpty(LogLines);
        Assert.DoesNotContain(LogLines, line => line.Contains(Password));
    }

    [Fact]
    public async Task Retries_after_a_wrong_password_without_logging_it()
    {
        using var server = await SmtpServer.StartAsync(new SmtpServerOptions { AuthUser = "picomon", AuthPassword = "other" });
        var outbox = new MemoryOutbox();
        var mailer = await StartMailer(SettingsFor(server.Port, user: "picomon", password: Password), outbox);
        await EventFilter.Warning(contains: "authentication failed: 535").ExpectOneAsync(Wait, () =>
        {
            mailer.Tell(new Mailer.Send(Mail("refused credentials")));
            return Task.CompletedTask;
        });
        Assert.Equal(1, outbox.Count);
        Assert.Empty(outbox.DeadLetters);
        Assert.DoesNotContain(LogLines, line => line.Contains(Password));
    }

    [Fact]
    public async Task Closes_the_connection_after_the_keepalive_timeout_without_mail()
    {
        using var server = await SmtpServer.StartAsync();
        var mailer = await StartMailer(SettingsFor(server.Port), new MemoryOutbox());
        mailer.Tell(new Mailer.Send(Mail("first")));
        await server.WaitForMessagesAsync(1);
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));

        // Just before the timeout the connection is still there: the next mail reuses it.
        Clock.Advance(KeepaliveTimeout - TimeSpan.FromSeconds(1));
        mailer.Tell(new Mailer.Send(Mail("second")));
        await server.WaitForMessagesAsync(2);
        Assert.Equal(new Mailer.Flushed(0), await FlushAsync(mailer, TimeSpan.FromSeconds(10)));
        Assert.Equal((1, 0), (server.Connections, server.Disconnections));

        await EventFilter.Debug(contains: "closing idle SMTP connection").ExpectOneAsync(Wait, () =>
        {
            Clock.Advance(KeepaliveTimeout);
            return Task.CompletedTask;
        });
        await server.WaitUntilAsync(s => s.Disconnections == 1, "disconnection");

        mailer.Tell(new Mailer.Send(Mail("third")));
        Assert.Equal(["first", "second", "third"], Subjects(await server.WaitForMessagesAsync(3)));
        Assert.Equal(2, server.Connections);
    }
}
