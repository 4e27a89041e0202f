using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Picomon.IntegrationTests.Support;

/// <summary>A daemon started with <c>http.listen</c> on port 0: the address it took (from its start-up log line) and
/// a client for it.</summary>
public sealed partial class HttpDaemon : IDisposable
{
    private HttpDaemon(PicomonProcess process, Uri address) => (Process, Address) = (process, address);

    public PicomonProcess Process { get; }
    public Uri Address { get; }
    public HttpClient Client { get; } = new() { Timeout = Deadlines.Event };

    public static async Task<HttpDaemon> StartAsync(Workspace dir, string config, int checks, IReadOnlyDictionary<string, string>? environment = null)
    {
        dir.Write("daemon.conf", config);
        var process = PicomonBinary.StartWith(environment ?? new Dictionary<string, string>(), dir.Directory, "-c", "daemon.conf");
        try
        {
            await process.WaitForOutputAsync((_, err) => err.Contains($"Started {checks} checks") && Listening().IsMatch(err), Deadlines.Event);
            // Listening on every address: asked on the loopback one.
            var address = new Uri(Listening().Match(process.Stderr).Groups[1].Value.Replace("://0.0.0.0:", "://127.0.0.1:"));
            return new HttpDaemon(process, address);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? credentials = null)
    {
        var request = new HttpRequestMessage(method, new Uri(Address, path));
        if (credentials is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return Client.SendAsync(request);
    }

    public async Task<string> GetTextAsync(string path, string? credentials = null)
    {
        using var response = await SendAsync(HttpMethod.Get, path, credentials);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Polls <paramref name="path"/> until <paramref name="condition"/> holds on its body.</summary>
    public async Task<string> GetUntilAsync(string path, Func<string, bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadlines.Event;
        while (true)
        {
            var body = await GetTextAsync(path);
            if (condition(body)) return body;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: never seen in\n{body}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"INFO: HTTP: listening on (http://\S+)")]
    private static partial Regex Listening();

    public void Dispose()
    {
        Client.Dispose();
        Process.Dispose();
    }
}
