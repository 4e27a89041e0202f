using Picomon.Cli;

namespace Picomon.Tests.Cli;

/// <summary>What is read from systemd's environment. (What is sent is tested on the published daemon, with a real
/// notify socket: tests/Picomon.IntegrationTests/SystemdTests.cs.)</summary>
public class SystemdNotifyTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Nothing_without_NOTIFY_SOCKET()
    {
        Assert.Null(SystemdNotify.FromEnvironment(Environment(), 42));
        Assert.Null(SystemdNotify.FromEnvironment(Environment(("NOTIFY_SOCKET", ""), ("WATCHDOG_USEC", "30000000")), 42));
    }

    [Fact]
    public void The_watchdog_is_pinged_at_half_its_timeout_when_it_is_for_this_process()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), SystemdNotify.FromEnvironment(Environment(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", "30000000")), 42)!.WatchdogInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), SystemdNotify.FromEnvironment(
            Environment(("NOTIFY_SOCKET", "/run/n"), ("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "42")), 42)!.WatchdogInterval);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("0", null)]
    [InlineData("garbage", null)]
    [InlineData("30000000", "43")]
    public void No_watchdog_when_it_is_off_or_meant_for_another_process(string? usec, string? pid)
    {
        var variables = new List<(string, string)> { ("NOTIFY_SOCKET", "@abstract") };
        if (usec is not null) variables.Add(("WATCHDOG_USEC", usec));
        if (pid is not null) variables.Add(("WATCHDOG_PID", pid));
        Assert.Null(SystemdNotify.FromEnvironment(Environment([.. variables]), 42)!.WatchdogInterval);
    }
}
