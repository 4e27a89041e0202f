using Picomon.Configuration;
using Picomon.Net;
using Picomon.Processes;

namespace Picomon.Notifications;

/// <summary>Delivers to an exec channel: runs its command (never through a shell) with the message on its standard
/// input and the <c>PICOMON_*</c> variables in its environment; exit 0 is delivered, anything else — a non-zero
/// exit, a program not found, a run longer than the channel's <c>timeout</c>, after which its whole process group
/// is killed — is retried. The command's arguments are never reported (they may hold a token).</summary>
public sealed class ExecTransport(ExecChannelSettings settings) : IDeliveryTransport
{
    public string Target => $"exec {settings.Command[0]}";

    public async Task<DeliveryOutcome> SendAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            var (outcome, error) = await ChildProcess.RunAsync(settings.Command, delivery.Body, delivery.Environment, timeout.Token);
            if (outcome is null) return new(DeliveryStatus.Retry, error!);
            if (outcome.ExitCode == 0) return new(DeliveryStatus.Delivered, "exit 0");
            var output = Excerpt.FirstLine((outcome.Stderr.Trim().Length > 0 ? outcome.Stderr : outcome.Stdout).Trim());
            return new(DeliveryStatus.Retry, output.Length > 0 ? $"exit status {outcome.ExitCode}: {output}" : $"exit status {outcome.ExitCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(DeliveryStatus.Retry, $"killed after {settings.Timeout.TotalSeconds:0.###}s");
        }
    }

    public void Dispose()
    {
        // Nothing held between runs: each delivery is its own process.
    }
}
