using Picomon.Configuration;
using Picomon.Notifications;
using Picomon.Tests.Support;

namespace Picomon.Tests.Notifications;

/// <summary>The exec transport running a real program: its stdin and environment, and how its exit is classified.</summary>
public sealed class ExecTransportTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 11, 24, 10, 2, 3, TimeSpan.Zero);
    private readonly ExecNotifier _notifier = new();

    public void Dispose() => _notifier.Dispose();

    private static Delivery Delivery() =>
        new("<d1@monitor>", "problem", "Problem http4/web#1", """{"kind":"problem"}""", "application/json",
            new Dictionary<string, string>
            {
                ["PICOMON_KIND"] = "problem", ["PICOMON_CHECK"] = "http4/web", ["PICOMON_STATE"] = "error",
                ["PICOMON_MESSAGE"] = "HTTP 503\nsecond line",
            }, T);

    private ExecTransport Transport(TimeSpan? timeout = null) =>
        new(new ExecChannelSettings("page", [.. _notifier.Command, "--token", "s3cret"], timeout ?? TimeSpan.FromSeconds(30)));

    [Fact]
    public async Task Gives_the_message_on_stdin_and_the_variables_in_the_environment_and_exit_0_is_delivered()
    {
        using var transport = Transport();

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Delivered, "exit 0"), await transport.SendAsync(Delivery(), CancellationToken.None));

        Assert.Equal(new ExecNotifier.Run("""{"kind":"problem"}""", "problem", "http4/web", "error", "HTTP 503\nsecond line", "0"),
            Assert.Single(_notifier.Runs));
        Assert.Equal($"exec {ExecNotifier.Script}", transport.Target);
    }

    [Fact]
    public async Task A_non_zero_exit_is_retried_with_what_the_program_said()
    {
        _notifier.Exit = "3";
        using var transport = Transport();

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Retry, "exit status 3: notifier: exiting with 3"),
            await transport.SendAsync(Delivery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_program_that_outlives_its_timeout_is_killed_and_retried()
    {
        _notifier.Exit = "hang";
        using var transport = Transport(TimeSpan.FromMilliseconds(500));

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Retry, "killed after 0.5s"), await transport.SendAsync(Delivery(), CancellationToken.None));
    }

    [Fact]
    public async Task A_missing_program_is_retried()
    {
        using var transport = new ExecTransport(new ExecChannelSettings("page", ["/nonexistent/notify"], TimeSpan.FromSeconds(5)));

        Assert.Equal(new DeliveryOutcome(DeliveryStatus.Retry, "/nonexistent/notify: not found"), await transport.SendAsync(Delivery(), CancellationToken.None));
    }
}
