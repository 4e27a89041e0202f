namespace Picomon.IntegrationTests.Support;

/// <summary>A temporary directory a test runs picomon in, holding its configuration; deleted on dispose.</summary>
public sealed class Workspace : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("picomon-it-").FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the workspace and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* best effort: a server may still hold a file for a moment */ }
    }
}
