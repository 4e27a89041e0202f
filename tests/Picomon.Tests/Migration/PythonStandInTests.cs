using System.Runtime.Versioning;
using Picomon.Migration;

namespace Picomon.Tests.Migration;

/// <summary>Which python3 <c>picomon migrate</c> runs: the first executable one on PATH, as a shell would.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PythonStandInTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("picomon-python3-");

    [Fact]
    public void The_first_executable_python3_on_PATH_is_taken()
    {
        var empty = Dir("empty");
        var notExecutable = Dir("plain");
        File.WriteAllText(Path.Combine(notExecutable, "python3"), "");
        var first = Dir("first");
        var python = Path.Combine(first, "python3");
        File.WriteAllText(python, "");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var second = Dir("second");
        File.CreateSymbolicLink(Path.Combine(second, "python3"), "/usr/bin/python3");

        Assert.Equal(python, PythonStandIn.FindPython3($"{empty}:{notExecutable}:{first}:{second}"));
        Assert.Equal(Path.Combine(second, "python3"), PythonStandIn.FindPython3($"{empty}::{second}:{first}"));
        Assert.Null(PythonStandIn.FindPython3(empty));
        Assert.Null(PythonStandIn.FindPython3(""));
        Assert.Null(PythonStandIn.FindPython3(null));
    }

    [Fact]
    public async Task A_config_that_never_finishes_is_stopped_with_a_clear_error()
    {
        var config = Path.Combine(_dir.FullName, "loops.py");
        File.WriteAllText(config, "while True:\n    pass\n");

        var error = await Assert.ThrowsAsync<MigrationException>(() =>
            PythonStandIn.RunAsync("/usr/bin/python3", config, Dir("work"), TextWriter.Null, TimeSpan.FromSeconds(1)));

        Assert.Equal($"{config}: still running after 1 s (a loop that never ends?); stopped", error.Message);
    }

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_dir.FullName, name)).FullName;

    public void Dispose() => _dir.Delete(recursive: true);
}
