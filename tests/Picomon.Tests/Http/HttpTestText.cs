using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Picomon.Http;

namespace Picomon.Tests.Http;

/// <summary>Renders what a <see cref="Utf8Output"/> writer produces into a string, and runs the real Prometheus
/// text parser (Debian's python3-prometheus-client) over metrics text.</summary>
public static class HttpTestText
{
    public static async Task<string> RenderAsync(Func<Utf8Output, Task> write)
    {
        using var buffer = new MemoryStream();
        var pipe = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        await write(new Utf8Output(pipe));
        await pipe.CompleteAsync();
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Every sample as <c>name{label=value,…} value</c>, one a line, labels sorted, as the parser read them.</summary>
    public static async Task<string[]> ParsePrometheusAsync(string text)
    {
        const string script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(f"{k}={v!r}" for k, v in sorted(s.labels.items()))
                    print(f"{family.type} {s.name}{{{labels}}} {s.value!r}")
            """;
        // Debian's interpreter: another python3 first on PATH may lack Debian's modules.
        var info = new ProcessStartInfo("/usr/bin/python3", ["-c", script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8, StandardInputEncoding = new UTF8Encoding(false),
        };
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var python = Process.Start(info)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(text);
        python.StandardInput.Close();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, $"the Prometheus parser refused the text: {await error}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
