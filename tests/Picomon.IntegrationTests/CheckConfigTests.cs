using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>picomon -t</c> as a user runs it: exit codes, stderr lines, never a stack trace or a hang.</summary>
public class CheckConfigTests
{
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private static string Root => RepositoryRoot();

    [Fact]
    public async Task Every_file_in_hocon_validates_with_exit_0()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "hocon"), "*.conf", SearchOption.AllDirectories))
        {
            var (exit, stdout, stderr) = await PicomonBinary.RunAsync(Root, Deadline, "-t", "-c", file);
            Assert.True(exit == 0, $"{file}: exit {exit}\n{stderr}");
            Assert.Contains("configuration OK", stdout);
        }
    }

    [Fact]
    public async Task Without_a_file_the_embedded_default_is_used()
    {
        var empty = Directory.CreateTempSubdirectory("picomon-it-");
        try
        {
            var (exit, stdout, _) = await PicomonBinary.RunAsync(empty.FullName, Deadline, "-t");
            Assert.Equal(0, exit);
            Assert.Contains("configuration OK: embedded default", stdout);
        }
        finally { empty.Delete(true); }
    }

    [Fact]
    public async Task A_picomon_conf_in_the_working_directory_is_preferred()
    {
        var dir = Directory.CreateTempSubdirectory("picomon-it-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "picomon.conf"), "picomon.base-tick = 7s\n");
            var (exit, stdout, _) = await PicomonBinary.RunAsync(dir.FullName, Deadline, "-t");
            Assert.Equal(0, exit);
            Assert.Contains("configuration OK: picomon.conf", stdout);
            Assert.Contains("base tick 7s", stdout);
        }
        finally { dir.Delete(true); }
    }

    public static TheoryData<string> BadFiles() => new(
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests/Picomon.Tests/testdata/config/bad"), "*.conf").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Every_bad_file_exits_2_with_one_clear_line_per_problem(string name)
    {
        var file = Path.Combine("tests/Picomon.Tests/testdata/config/bad", name);
        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(Root, Deadline, "-t", "-c", file);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.StartsWith($"picomon: config error: {file}", l));
        var expected = File.ReadLines(Path.Combine(Root, file)).Count(l => l.StartsWith("# expect"));
        Assert.Equal(expected, lines.Length);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        var (exit, _, stderr) = await PicomonBinary.RunAsync(Root, Deadline, "-t", "-c", "/nonexistent/picomon.conf");
        Assert.Equal(2, exit);
        Assert.StartsWith("picomon: config error: /nonexistent/picomon.conf: ", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Hazardous_syntax_exits_2_quickly_instead_of_hanging()
    {
        var dir = Directory.CreateTempSubdirectory("picomon-it-");
        try
        {
            var hazards = new Dictionary<string, string>
            {
                ["unclosed-array.conf"] = "picomon.checks = [ { type = ping4 }\nmore = 1\nand = 2\n",
                ["optional-env.conf"] = "picomon.emails.smtp-password = ${?PICOMON_IT_UNSET}\npicomon.checks = [\n",
                ["deep.conf"] = "a = " + new string('[', 100_000),
            };
            foreach (var (file, text) in hazards)
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, file), text);
                var (exit, _, stderr) = await PicomonBinary.RunAsync(dir.FullName, Deadline, "-t", "-c", file);
                Assert.True(exit == 2, $"{file}: exit {exit}: {stderr}");
                Assert.StartsWith($"picomon: config error: {file}:", stderr);
            }
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task Environment_secret_works_and_is_never_printed()
    {
        var dir = Directory.CreateTempSubdirectory("picomon-it-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "secret.conf"),
                "picomon.emails { to = [\"ops@example.org\"], smtp-user = u, smtp-password = ${?PICOMON_IT_SECRET} }\n");
            using var process = PicomonBinary.StartWith(
                new Dictionary<string, string> { ["PICOMON_IT_SECRET"] = "hunter2" }, dir.FullName, "-t", "-c", "secret.conf");
            var exit = await process.WaitForExitAsync(Deadline);
            Assert.Equal(0, exit);
            Assert.Contains("auth as u", process.Stdout);
            Assert.DoesNotContain("hunter2", process.Stdout + process.Stderr);
        }
        finally { dir.Delete(true); }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Picomon.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Picomon.sln not found above the test binaries");
    }
}
