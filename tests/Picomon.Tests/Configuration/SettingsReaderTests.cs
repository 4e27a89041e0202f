using Picomon.Configuration;
using Picomon.Configuration.Hocon;

namespace Picomon.Tests.Configuration;

/// <summary>reference.conf is the only place a default is written: the reader takes every value from the
/// merged tree, and an operator's wrong value reads as the reference value while the error is recorded.</summary>
public class SettingsReaderTests
{
    private static readonly string ReferenceConf = ReadReference();

    private static HoconObject Block(string text, string file) =>
        (HoconObject)HoconParser.ParseText(text, file, baseDirectory: null, _ => null)["picomon"]!;

    private static (PicomonSettings Settings, List<string> Errors) Read(string reference, string user)
    {
        var referenceBlock = Block(reference, "reference.conf");
        var errors = new ErrorList();
        var userBlock = Block(user, "test.conf");
        var settings = SettingsReader.Read(HoconParser.Merge(referenceBlock, userBlock), referenceBlock, userBlock["notify"] is not null,
            "test.conf", null, "host.example", errors);
        return (settings, errors.Errors.Select(e => e.ToString()).ToList());
    }

    [Fact]
    public void Defaults_come_from_the_reference_tree()
    {
        var reference = ReferenceConf
            .Replace("base-tick = 60s", "base-tick = 7s")
            .Replace("subject-tpl = \"[DOMAIN] {state}: {check} on {dest}\"", "subject-tpl = \"{check} is {state}\"");
        var (settings, errors) = Read(reference, "picomon {}");
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.BaseTick);
        Assert.Equal("{check} is {state}", settings.Emails.SubjectTemplate);
    }

    [Fact]
    public void A_wrong_value_is_reported_and_reads_as_the_reference_value_while_reading_goes_on()
    {
        var reference = ReferenceConf.Replace("smtp-retry-timeout = 60s", "smtp-retry-timeout = 42s");
        var (settings, errors) = Read(reference, """
            picomon { emails.smtp-retry-timeout = -1s
                      emails.smtp-tls = ssl }
            """);
        Assert.Equal(TimeSpan.FromSeconds(42), settings.Emails.SmtpRetryTimeout);
        Assert.Equal(SmtpTls.Auto, settings.Emails.SmtpTls);
        Assert.Equal(
            [
                "picomon: config error: test.conf:1: picomon.emails.smtp-retry-timeout: must be a positive duration",
                "picomon: config error: test.conf:2: picomon.emails.smtp-tls: must be one of auto, none, starttls, tls, got 'ssl'",
            ],
            errors);
    }

    [Fact]
    public void A_section_that_is_not_an_object_reads_as_the_reference_section()
    {
        var (settings, errors) = Read(ReferenceConf, "picomon { emails = 5 }");
        Assert.Equal("picomon: config error: test.conf:1: picomon.emails: expected an object, got a number", Assert.Single(errors));
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Emails.SmtpKeepaliveTimeout);
    }

    [Fact]
    public void A_key_missing_from_reference_conf_is_a_bug_named_by_its_path()
    {
        var reference = ReferenceConf.Replace("smtp-keepalive-timeout = 60s", "");
        var error = Assert.Throws<InvalidOperationException>(() => Read(reference, "picomon {}"));
        Assert.Equal("reference.conf does not define picomon.emails.smtp-keepalive-timeout", error.Message);
    }

    [Fact]
    public void An_invalid_reference_value_is_a_bug_named_by_its_path()
    {
        var reference = ReferenceConf.Replace("verb-level = INFO", "verb-level = LOUD");
        var error = Assert.Throws<InvalidOperationException>(() => Read(reference, "picomon { verb-level = 3 }"));
        Assert.Equal("reference.conf: picomon.verb-level is not valid: must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, got 'LOUD'",
            error.Message);
    }

    private static string ReadReference()
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream("Picomon.reference.conf")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
