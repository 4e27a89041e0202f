using Picomon.Configuration.Hocon;

namespace Picomon.Tests.Configuration.Hocon;

/// <summary>Short ways to parse a snippet (with an empty environment unless given) and read a path.</summary>
internal static class HoconTestSupport
{
    public static HoconObject Parse(string text, Func<string, string?>? environment = null) =>
        HoconParser.ParseText(text, "test.conf", baseDirectory: null, environment ?? (_ => null));

    public static HoconException Fails(string text, Func<string, string?>? environment = null) =>
        Assert.Throws<HoconException>(() => Parse(text, environment));

    public static HoconValue At(HoconObject root, string path)
    {
        HoconValue value = root;
        foreach (var key in path.Split('.'))
            value = ((HoconObject)value)[key] ?? throw new KeyNotFoundException(path);
        return value;
    }

    public static HoconScalar Scalar(HoconObject root, string path) => Assert.IsType<HoconScalar>(At(root, path));

    public static string Text(HoconObject root, string path) => Scalar(root, path).Text;

    public static string[] Texts(HoconObject root, string path) =>
        [.. Assert.IsType<HoconArray>(At(root, path)).Items.Select(i => Assert.IsType<HoconScalar>(i).Text)];

    public static void AssertError(HoconException error, int line, string message)
    {
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Location.Line);
    }

    /// <summary>A fresh temporary directory, deleted when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("picomon-hocon-").FullName;

        public string Write(string name, string text)
        {
            var file = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
