using System.IO.Pipelines;
using System.Text;
using Picomon.Http;

namespace Picomon.Tests.Http;

/// <summary>Renders what a <see cref="Utf8Output"/> writer produces into a string.</summary>
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
}
