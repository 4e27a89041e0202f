namespace Picomon.IntegrationTests.Support;

/// <summary>Real-time polling with a generous deadline, for conditions that a real server or the daemon
/// makes true eventually.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within}: {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>The same for a condition that takes a command to find out (a <c>picomon status</c>).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within}: {what}");
            await Task.Delay(200);
        }
    }
}
