using System.Diagnostics;
using System.Text;

namespace Picomon.TestSupport;

/// <summary>The real Prometheus text parser: Debian's python3-prometheus-client (installed by tests/run).</summary>
public static class PrometheusParser
{
    /// <summary>Every sample as <c>TYPE name{label='value',…} value</c> (Python's repr of each), one a line, labels
    /// sorted, as the parser read them; throws when the parser refuses the text.</summary>
    public static async Task<string[]> ParseAsync(string text)
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
        if (python.ExitCode != 0) throw new InvalidOperationException($"the Prometheus parser refused the text: {await error}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
