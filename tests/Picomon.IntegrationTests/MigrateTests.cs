using Picomon.IntegrationTests.Support;

namespace Picomon.IntegrationTests;

/// <summary><c>picomon migrate</c> as a user runs it: the published binary, python3 from PATH (here Debian's,
/// <c>PATH=/usr/bin:/bin</c>), the original's own sample, and one clear line for what cannot be converted.</summary>
public sealed class MigrateTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string Sample = "tests/Picomon.Tests/testdata/migrate/config-sample.py";
    private static readonly string Root = CheckConfigTests.RepositoryRoot();
    private readonly Workspace _workspace = new();

    [Fact]
    public async Task The_original_sample_becomes_a_config_that_picomon_t_accepts_with_the_same_hosts_and_checks()
    {
        var (exit, stdout, stderr) = await MigrateAsync(Root, Sample);
        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        // The example shipped in hocon/examples is this very output.
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Root, "hocon/examples/original-sample-migrated.conf")), stdout);

        var migrated = await SummaryAsync(_workspace.Write("migrated.conf", stdout));
        var hand = await SummaryAsync(Path.Combine(Root, "hocon/examples/original-sample.conf"));
        Assert.Contains("  base tick 1m, 4 checks, 4 hosts", migrated);
        Assert.Contains("  checks per type: ping4 2, ping6 2", migrated);
        Assert.Equal(Line(hand, "  checks per type:"), Line(migrated, "  checks per type:"));
        Assert.Equal(Line(hand, "  mail:"), Line(migrated, "  mail:"));
        // Every host of the sample, as the hand migration has it (which adds a `web` host for commented-out checks).
        var hosts = migrated.Where(l => l.StartsWith("  host ")).ToList();
        Assert.Equal(4, hosts.Count);
        Assert.All(hosts, h => Assert.Contains(h, hand));
    }

    [Fact]
    public async Task With_o_the_config_goes_to_the_file_and_the_configs_own_output_to_stderr()
    {
        var config = Path.Combine(Root, "tests/Picomon.Tests/testdata/migrate/everything.py");
        var output = Path.Combine(_workspace.Directory, "picomon.conf");
        var (exit, stdout, stderr) = await MigrateAsync(_workspace.Directory, config, "-o", "picomon.conf");
        Assert.True(exit == 0, stderr);
        Assert.Empty(stdout);
        Assert.Equal("everything.py: 25 checks\n", stderr);
        Assert.StartsWith($"# Converted by `picomon migrate` from {config},", await File.ReadAllTextAsync(output));

        var summary = await SummaryAsync(output);
        Assert.Contains("  base tick 30s, 25 checks, 8 hosts", summary);
    }

    [Fact]
    public async Task A_custom_check_class_is_named_exit_2_without_a_traceback()
    {
        var (exit, stdout, stderr) = await MigrateAsync(Root, "tests/Picomon.Tests/testdata/migrate/bad/custom-check.py");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal(
            "picomon: migrate: tests/Picomon.Tests/testdata/migrate/bad/custom-check.py:6: class CheckAlwaysOk: a Check subclass " +
            "defined by the config cannot be converted (Picomon cannot run Python code); rewrite it as a 'plugin' check " +
            "(a Nagios plugin) or an 'exec' check (a command and a pattern)\n", stderr);
    }

    [Fact]
    public async Task A_syntax_error_names_its_file_and_line()
    {
        var config = _workspace.Write("config.py", "from picomon import config\n\nconfig.checks.add(CheckPing4, [h1]\n");
        var (exit, stdout, stderr) = await MigrateAsync(_workspace.Directory, "config.py");
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal("picomon: migrate: config.py:3: SyntaxError: '(' was never closed\n", stderr);
        Assert.True(File.Exists(config));
        Assert.Equal(["config.py"], Directory.GetFileSystemEntries(_workspace.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Without_python3_on_PATH_it_says_so()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_workspace.Directory, "empty-bin")).FullName;
        var (exit, stdout, stderr) = await MigrateWithPathAsync(Root, empty, Sample);
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal("picomon: migrate: python3 not found on PATH; it runs the original's configuration (Debian: apt-get install python3)\n", stderr);
    }

    [Fact]
    public async Task A_missing_config_and_bad_usage_exit_2()
    {
        var (exit, _, stderr) = await MigrateAsync(Root, "no-such-config.py");
        Assert.Equal(2, exit);
        Assert.Equal("picomon: migrate: no-such-config.py: no such file\n", stderr);

        (exit, _, stderr) = await MigrateAsync(Root, Sample, "-o");
        Assert.Equal(2, exit);
        Assert.Equal("picomon: Required argument missing for option: '-o'.\nTry 'picomon migrate --help'.\n", stderr);
    }

    private static Task<(int Exit, string Stdout, string Stderr)> MigrateAsync(string workingDirectory, params string[] args) =>
        MigrateWithPathAsync(workingDirectory, "/usr/bin:/bin", args);

    private static async Task<(int Exit, string Stdout, string Stderr)> MigrateWithPathAsync(string workingDirectory, string path, params string[] args)
    {
        using var process = PicomonBinary.StartWith(new Dictionary<string, string> { ["PATH"] = path }, workingDirectory, ["migrate", ..args]);
        var exit = await process.WaitForExitAsync(Deadline);
        return (exit, process.Stdout, process.Stderr);
    }

    private static async Task<string[]> SummaryAsync(string config)
    {
        var (exit, stdout, stderr) = await PicomonBinary.RunAsync(Root, Deadline, "-t", "-c", config);
        Assert.True(exit == 0, $"{config}: {stderr}");
        return stdout.Split('\n');
    }

    private static string Line(string[] lines, string prefix) => Assert.Single(lines, l => l.StartsWith(prefix));

    public void Dispose() => _workspace.Dispose();
}
