namespace Picomon.TestSupport;

/// <summary>Looks through /proc for processes whose command line carries a marker, so a test can
/// tell whether anything a plugin started is still running.</summary>
public static class PluginProcessScan
{
    public static string NewMarker() => $"picomon-marker-{Guid.NewGuid():N}";

    public static IReadOnlyList<int> WithMarker(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker)) found.Add(pid);
            }
            catch (IOException)
            {
                // the process ended while we looked
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }
        return found;
    }

    /// <summary>Waits (generously: a killed process needs its parent to reap it) until no process
    /// carries the marker; returns the ones still there at the deadline.</summary>
    public static async Task<IReadOnlyList<int>> RemainingAfterGraceAsync(string marker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var left = WithMarker(marker);
        while (left.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            left = WithMarker(marker);
        }
        return left;
    }
}
