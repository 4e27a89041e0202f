using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Picomon.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Picomon.IntegrationTests;

/// <summary>The status page in a real browser: Debian's headless Chromium (installed by tests/run), driven through
/// chromedriver, against the published daemon with failing and OK checks. Asserts on what it renders, at a desktop
/// and at a phone's width, and keeps a screenshot of each under the test's output directory.</summary>
[Collection(RealTime.Name)]
public class StatusPageBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = Deadlines.Event;
    private const string Injected = "<script>document.title='pwned'</script> CRITICAL: disk <full>";

    private static ChromeDriver Chromium(string profile)
    {
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        // As root Chromium needs --no-sandbox; the machine has no network: nothing may reach out.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--window-size=1280,900");
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        return new ChromeDriver(service, options, Deadline);
    }

    private string Screenshot(ChromeDriver browser, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        browser.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    [Fact]
    public async Task The_page_lists_failing_checks_first_shows_their_message_as_text_and_stays_readable_at_phone_width()
    {
        using var dir = new Workspace();
        await using var web = await TargetWebServer.StartAsync();
        using var picomon = await HttpDaemon.StartAsync(dir, $$"""
            picomon {
              base-tick = 1s
              state-dir = "state"
              default-retry = 0
              hosts { web { ipv4 = "127.0.0.1" } }
              checks = [
                { type = http4, hosts = [web], name = "web/a-ok", port = {{web.Port}}, url = "/ok" }
                { type = http4, hosts = [web], name = "web/b-ok", port = {{web.Port}}, url = "/ok" }
                { type = http4, hosts = [web], name = "web/z-down", port = {{web.Port}}, url = "/fail" }
                { type = plugin, name = "disk/full", command = ["/bin/sh", "-c", "echo \"{{Injected}}\"; exit 2"] }
              ]
              http.listen = "127.0.0.1:0"
            }
            """, checks: 4);
        await picomon.GetUntilAsync("/api/v1/checks",
            b => b.Split("\"state\":\"error\"").Length == 3 && b.Split("\"state\":\"ok\"").Length == 3 && !b.Contains("\"lastRun\":null"),
            "two checks in error and two OK, all run");
        var profile = Directory.CreateTempSubdirectory("picomon-chromium-");
        using var browser = Chromium(profile.FullName);
        try
        {
            browser.Navigate().GoToUrl(picomon.Address);

            var rows = browser.FindElements(By.CssSelector("tbody tr"));
            Assert.Equal(["error", "error", "ok", "ok"], rows.Select(r => r.GetAttribute("class")));
            Assert.Equal(["disk/full", "web/z-down", "web/a-ok", "web/b-ok"], rows.Select(r => r.FindElement(By.CssSelector("td.id")).Text));
            Assert.Equal("ERROR", rows[0].FindElement(By.CssSelector(".state")).Text);
            // The message is shown as text: the script in it neither runs nor becomes an element.
            Assert.Equal($"{Injected} (CRITICAL, exit 2)", rows[0].FindElement(By.CssSelector("td.message")).Text);
            Assert.StartsWith("Picomon: 2 error, 2 ok", browser.Title);
            Assert.Empty(browser.FindElements(By.CssSelector("td script, td full")));
            Assert.Matches(@"^Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d by picomon ", browser.FindElement(By.CssSelector(".generated")).Text);
            Screenshot(browser, "statuspage.png");

            browser.Manage().Window.Size = new Size(390, 844);
            var width = Convert.ToInt64(browser.ExecuteScript("return window.innerWidth;"));
            Assert.True(width <= 400, $"viewport {width} px wide");
            var first = browser.FindElements(By.CssSelector("tbody tr"))[0];
            var id = first.FindElement(By.CssSelector("td.id"));
            foreach (var cell in new[] { id, first.FindElement(By.CssSelector(".state")) })
            {
                Assert.True(cell.Displayed);
                Assert.InRange(cell.Location.X + cell.Size.Width, 1, width);
            }
            Assert.Equal("disk/full", id.Text);
            // As a card, each cell is labelled with its column's name.
            Assert.Equal("\"Check: \"", browser.ExecuteScript("return getComputedStyle(arguments[0], '::before').content;", id));
            Screenshot(browser, "statuspage-phone.png");
        }
        finally
        {
            browser.Quit();
            profile.Delete(recursive: true);
        }
        picomon.Process.Signal(Daemon.SigTerm);
        Assert.Equal(0, await picomon.Process.WaitForExitAsync(Deadline));
    }
}
