using System.Net.Sockets;
using Picomon.Probes;

namespace Picomon.Tests.Probes;

public sealed class ProbeRunnerTests
{
    private static readonly ProbeTarget Target = new("host", "host", "127.0.0.1", AddressFamily.InterNetwork);

    /// <summary>A probe given as a function of its token.</summary>
    private sealed class FuncProbe(Func<CancellationToken, Task<ProbeResult>> run) : IProbe
    {
        public Task<ProbeResult> RunAsync(ProbeTarget target, CancellationToken cancellationToken) => run(cancellationToken);
    }

    [Fact]
    public async Task A_timed_out_probe_has_cleaned_up_by_the_time_its_result_is_reported()
    {
        var cleanedUp = false;
        var probe = new FuncProbe(async token =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                await Task.Delay(100, CancellationToken.None); // as killing and reaping a process group
                cleanedUp = true;
                throw;
            }
            return ProbeResult.Ok;
        });

        var result = await ProbeRunner.RunAsync(probe, Target, TimeSpan.FromMilliseconds(50));

        Assert.Equal(ProbeRunner.TimedOut, result.Message);
        Assert.True(cleanedUp);
    }

    [Fact]
    public async Task A_probe_that_ignores_its_token_still_times_out()
    {
        var never = new TaskCompletionSource<ProbeResult>();
        var result = await ProbeRunner.RunAsync(new FuncProbe(_ => never.Task), Target, TimeSpan.FromMilliseconds(50));

        Assert.False(result.Success);
        Assert.Equal(ProbeRunner.TimedOut, result.Message);
    }

    [Fact]
    public async Task A_probe_that_throws_fails_naming_the_exception()
    {
        var result = await ProbeRunner.RunAsync(
            new FuncProbe(_ => throw new InvalidOperationException("bug")), Target, TimeSpan.FromSeconds(10));

        Assert.False(result.Success);
        Assert.Equal("probe error: InvalidOperationException: bug", result.Message);
    }
}
