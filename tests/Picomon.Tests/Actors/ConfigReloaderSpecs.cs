using Akka.Actor;
using Akka.TestKit;
using Picomon.Actors;
using Picomon.Configuration;
using Picomon.Tests.Support;
using Xunit.Abstractions;

namespace Picomon.Tests.Actors;

public sealed class ConfigReloaderSpecs : ActorSpec, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"picomon-reload-{Guid.NewGuid():N}.conf");
    private readonly TestProbe _checks, _aggregator, _notifier, _mailer, _reporter, _signals;
    private readonly IActorRef _reloader;

    public ConfigReloaderSpecs(ITestOutputHelper output) : base(output)
    {
        File.WriteAllText(_file, """
            picomon.emails.to = ["ops@example.org"]
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 22 } ]
            """);
        var initial = ConfigLoader.Load(_file);
        (_checks, _aggregator, _notifier, _mailer, _reporter, _signals) =
            (CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        _reloader = Sys.ActorOf(ConfigReloader.Props(() => ConfigLoader.Load(_file), initial,
            new ConfigReloader.Targets(_checks, _aggregator, _notifier, _mailer, _reporter, _signals)));
    }

    public new void Dispose()
    {
        File.Delete(_file);
        base.Dispose();
    }

    [Fact]
    public async Task An_invalid_file_logs_every_problem_and_changes_nothing()
    {
        await File.WriteAllTextAsync(_file, "picomon.base-tik = 5s\npicomon.default-retry = -2\n");

        await EventFilter.Error(contains: "still running the previous one").ExpectOneAsync(async () =>
            await EventFilter.Error(contains: "picomon: config error:").ExpectAsync(2, () =>
            {
                _reloader.Tell(ConfigReloader.ReloadRequested.Instance);
                return Task.CompletedTask;
            }));

        foreach (var target in new[] { _checks, _aggregator, _notifier, _mailer, _reporter, _signals })
            await target.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_valid_file_reconfigures_checks_notifications_mail_reports_dumps_and_forgets_removed_checks()
    {
        await File.WriteAllTextAsync(_file, """
            picomon.emails { to = ["other@example.org"], report.every = 1h }
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 25 } ]
            """);

        _reloader.Tell(ConfigReloader.ReloadRequested.Instance);

        var reconfigure = await _checks.ExpectMsgAsync<ChecksSupervisor.Reconfigure>();
        Assert.Equal("tcp4/127.0.0.1", Assert.Single(reconfigure.Checks).Id);
        Assert.Equal(["tcp4/127.0.0.1"], (await _aggregator.ExpectMsgAsync<StateAggregator.Reconfigure>()).Checks.Select(c => c.Id));
        var notify = (await _notifier.ExpectMsgAsync<Notifier.Reconfigure>()).Settings.Notify;
        Assert.Equal(["other@example.org"], Assert.IsType<MailChannelSettings>(Assert.Single(notify.Channels)).To);
        Assert.Equal(["other@example.org"], (await _mailer.ExpectMsgAsync<Mailer.UpdateSettings>()).Settings.To);
        Assert.Equal(TimeSpan.FromHours(1), (await _reporter.ExpectMsgAsync<Reporter.UpdateSettings>()).Emails.ReportEvery);
        await _signals.ExpectMsgAsync<SignalListener.UpdateChecks>();
        await EventFilter.Info(contains: "1 changed").ExpectOneAsync(() =>
        {
            _checks.Reply(new ChecksSupervisor.Reconfigured(0, 1, 0, 0));
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task Picomon_reload_is_answered_with_every_error_of_an_invalid_file()
    {
        await File.WriteAllTextAsync(_file, "picomon.base-tik = 5s\npicomon.default-retry = -2\n");

        await EventFilter.Error(contains: "picomon reload: the configuration has 2 problem(s); still running the previous one").ExpectOneAsync(() =>
        {
            _reloader.Tell(ConfigReloader.ReloadRequested.Control);
            return Task.CompletedTask;
        });

        var outcome = await ExpectMsgAsync<ConfigReloader.ReloadOutcome>();
        Assert.Null(outcome.Applied);
        Assert.Equal(_file, outcome.Source);
        Assert.Equal(2, outcome.Errors.Count);
        Assert.All(outcome.Errors, e => Assert.StartsWith($"picomon: config error: {_file}:", e));
    }

    [Theory]
    [InlineData("""
        picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 25, name = "tcp4/b", depends-on = ["tcp4/a"] } ]
        """, "picomon.checks[0].depends-on: unknown check 'tcp4/a'")]
    [InlineData("""
        picomon.checks = [
          { type = tcp4, hosts = ["127.0.0.1"], port = 22, name = "tcp4/a", depends-on = ["tcp4/b"] }
          { type = tcp4, hosts = ["127.0.0.1"], port = 25, name = "tcp4/b", depends-on = ["tcp4/a"] }
        ]
        """, "picomon.checks[0].depends-on: dependency cycle: tcp4/a -> tcp4/b -> tcp4/a")]
    public async Task A_reload_that_removes_a_parent_or_makes_a_cycle_is_refused_and_changes_nothing(string file, string error)
    {
        await File.WriteAllTextAsync(_file, """
            picomon.checks = [
              { type = tcp4, hosts = ["127.0.0.1"], port = 22, name = "tcp4/a" }
              { type = tcp4, hosts = ["127.0.0.1"], port = 25, name = "tcp4/b", depends-on = ["tcp4/a"] }
            ]
            """);
        _reloader.Tell(ConfigReloader.ReloadRequested.Control);
        await _checks.ExpectMsgAsync<ChecksSupervisor.Reconfigure>();
        _checks.Reply(new ChecksSupervisor.Reconfigured(0, 0, 2, 1));
        Assert.NotNull((await ExpectMsgAsync<ConfigReloader.ReloadOutcome>()).Applied);
        Assert.Equal(["tcp4/a"], (await _aggregator.ExpectMsgAsync<StateAggregator.Reconfigure>()).Dependencies.ParentsOf("tcp4/b"));

        await File.WriteAllTextAsync(_file, file);
        _reloader.Tell(ConfigReloader.ReloadRequested.Control);

        var refused = await ExpectMsgAsync<ConfigReloader.ReloadOutcome>();
        Assert.Null(refused.Applied);
        Assert.Contains(error, Assert.Single(refused.Errors));
        await _checks.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await _aggregator.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Picomon_reload_is_answered_once_the_checks_are_reconfigured_with_what_needs_a_restart()
    {
        await File.WriteAllTextAsync(_file, """
            picomon.state-dir = "/var/lib/elsewhere"
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 25 } ]
            """);

        _reloader.Tell(ConfigReloader.ReloadRequested.Control);
        await _checks.ExpectMsgAsync<ChecksSupervisor.Reconfigure>();
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        _checks.Reply(new ChecksSupervisor.Reconfigured(0, 0, 1, 1));

        var outcome = await ExpectMsgAsync<ConfigReloader.ReloadOutcome>();
        Assert.Equal(new ChecksSupervisor.Reconfigured(0, 0, 1, 1), outcome.Applied);
        Assert.Equal(["state-dir changed to /var/lib/elsewhere; it takes effect at the next start"], outcome.Warnings);
        Assert.Empty(outcome.Errors);
    }

    [Fact]
    public async Task A_changed_http_block_needs_a_restart_and_a_remote_one_without_auth_is_refused()
    {
        await File.WriteAllTextAsync(_file, """
            picomon.http.listen = "0.0.0.0:9325"
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 22 } ]
            """);
        _reloader.Tell(ConfigReloader.ReloadRequested.Control);
        var refused = await ExpectMsgAsync<ConfigReloader.ReloadOutcome>();
        Assert.Null(refused.Applied);
        Assert.Contains("picomon.http.listen: 0.0.0.0:9325 is not a loopback address", Assert.Single(refused.Errors));

        await File.WriteAllTextAsync(_file, """
            picomon.http.listen = "127.0.0.1:9325"
            picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 22 } ]
            """);
        _reloader.Tell(ConfigReloader.ReloadRequested.Control);
        await _checks.ExpectMsgAsync<ChecksSupervisor.Reconfigure>();
        _checks.Reply(new ChecksSupervisor.Reconfigured(1, 0, 0, 0));
        var applied = await ExpectMsgAsync<ConfigReloader.ReloadOutcome>();
        Assert.Equal(["http settings changed; they take effect at the next start"], applied.Warnings);
    }

    [Fact]
    public async Task Answers_with_the_checks_of_the_running_configuration()
    {
        _reloader.Tell(ConfigReloader.GetChecks.Instance);
        Assert.Equal("tcp4/127.0.0.1", Assert.Single((await ExpectMsgAsync<ConfigReloader.RunningChecks>()).Checks).Id);

        await File.WriteAllTextAsync(_file, """picomon.checks = [ { type = tcp4, hosts = ["127.0.0.1"], port = 25, name = renamed } ]""");
        _reloader.Tell(ConfigReloader.ReloadRequested.Instance, ActorRefs.NoSender);
        _reloader.Tell(ConfigReloader.GetChecks.Instance);

        Assert.Equal("renamed", Assert.Single((await ExpectMsgAsync<ConfigReloader.RunningChecks>()).Checks).Id);
    }
}
