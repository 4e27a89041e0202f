using Picomon.Configuration;

namespace Picomon.Tests.Configuration;

/// <summary>One small file per configuration error under testdata/config/bad, each stating the exact
/// lines it must produce in `# expect:` comments (`# expect-prefix:` where the tail is the runtime's wording).</summary>
public class ConfigFileTests
{
    private const string BadDir = "testdata/config/bad";
    private const string GoodDir = "testdata/config/good";

    public static TheoryData<string> BadFiles() => new(Directory.GetFiles(BadDir, "*.conf").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_reports_exactly_its_expected_errors(string name)
    {
        var path = Path.Combine(BadDir, name);
        var expectations = File.ReadLines(path)
            .Where(l => l.StartsWith("# expect"))
            .Select(l => (Prefix: l.StartsWith("# expect-prefix: "),
                          Text: "picomon: config error: " + l[(l.IndexOf(':') + 2)..].Replace("{FILE}", path)))
            .ToList();
        Assert.NotEmpty(expectations);

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, _ => null));

        var actual = error.Errors.Select(e => e.ToString()).ToList();
        Assert.True(expectations.Count == actual.Count, $"expected {expectations.Count} errors, got:\n{string.Join("\n", actual)}");
        foreach (var (expected, line) in expectations.Zip(actual))
        {
            if (expected.Prefix) Assert.StartsWith(expected.Text, line);
            else Assert.Equal(expected.Text, line);
        }
    }

    [Fact]
    public void Missing_file_is_one_error_naming_it()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load("testdata/config/no-such-file.conf"));
        var line = Assert.Single(error.Errors).ToString();
        Assert.StartsWith("picomon: config error: testdata/config/no-such-file.conf: ", line);
    }

    [Fact]
    public void Binary_garbage_is_a_syntax_error_with_its_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"picomon-garbage-{Guid.NewGuid():N}.conf");
        File.WriteAllBytes(path, [.."picomon.base-tick = 10s\n"u8, 0x00, 0xff, 0x13, 0x7f, (byte)'\n']);
        try
        {
            var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
            Assert.StartsWith($"picomon: config error: {path}:2: ", Assert.Single(error.Errors).ToString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Optional_environment_substitution_supplies_the_smtp_password()
    {
        var settings = ConfigLoader.Load(Path.Combine(GoodDir, "optional-env-secret.conf"),
            name => name == "PICOMON_TEST_SECRET" ? "s3cret!" : null);
        Assert.Equal("s3cret!", settings.Emails.SmtpPassword);
        Assert.DoesNotContain("s3cret!", settings.Emails.ToString());
    }

    [Fact]
    public void Unset_optional_environment_substitution_leaves_the_password_unset()
    {
        var settings = ConfigLoader.Load(Path.Combine(GoodDir, "optional-env-secret.conf"), _ => null);
        Assert.Null(settings.Emails.SmtpPassword);
    }

    [Fact]
    public void Include_is_relative_to_the_including_file()
    {
        var settings = ConfigLoader.Load(Path.Combine(GoodDir, "included.conf"), _ => null);
        Assert.Equal("127.0.0.1", settings.Hosts["localhost"].IPv4);
        Assert.Equal("ping4/localhost", Assert.Single(settings.Checks).Id);
    }

    public static TheoryData<string> ShippedFiles() => new(
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "hocon"), "*.conf", SearchOption.AllDirectories));

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Every_shipped_config_file_is_valid(string path) => ConfigLoader.Load(path, _ => null);

    [Fact]
    public void Embedded_default_is_valid_and_checks_localhost_only_without_mail()
    {
        var settings = ConfigLoader.Load(null);
        Assert.Equal(ConfigLoader.EmbeddedSource, settings.Source);
        Assert.Empty(settings.Emails.To);
        Assert.NotEmpty(settings.Checks);
        Assert.All(settings.Checks, c => Assert.Contains(c.Target.Address, new[] { "127.0.0.1", "::1" }));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Picomon.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Picomon.sln not found above the test binaries");
    }
}
