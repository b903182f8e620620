using Microsoft.Playwright;
using Provenance.Testing;

namespace Provenance.Api.Tests.Verification.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser). Each page records what a test must never see:
/// dialogs, CSP violations, console errors and requests leaving the test server.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Launches /usr/bin/chromium headless.</summary>
    public async Task StartAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// A new phone-sized page speaking as <paramref name="forwardedFor"/>, sending <paramref name="apiKey"/> as its
    /// bearer token when given.
    /// </summary>
    public async Task<WatchedPage> NewPageAsync(
        string baseAddress, string forwardedFor, string? locale = null, int width = 390, string? apiKey = null)
    {
        var headers = new Dictionary<string, string> { ["X-Forwarded-For"] = forwardedFor };
        if (apiKey is not null)
        {
            headers["Authorization"] = "Bearer " + apiKey;
        }

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress,
            ViewportSize = new ViewportSize { Width = width, Height = 844 },
            Locale = locale ?? "en-GB",
            ExtraHTTPHeaders = headers,
        });
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(page, baseAddress);
        await watched.WatchAsync();
        return watched;
    }

    /// <summary>Where screenshots go.</summary>
    public static string ScreenshotPath(string name) => Path.Combine(RepoPaths.TestOutput("verification"), name + ".png");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page with its alarms.</summary>
public sealed class WatchedPage(IPage page, string baseAddress) : IAsyncDisposable
{
    /// <summary>The Playwright page.</summary>
    public IPage Page { get; } = page;

    /// <summary>Dialogs that opened (alert, confirm, prompt): XSS.</summary>
    public List<string> Dialogs { get; } = [];

    /// <summary>Console errors (CSP reports appear here too).</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>Requests to anywhere but the test server (blocked).</summary>
    public List<string> ForeignRequests { get; } = [];

    internal async Task WatchAsync()
    {
        Page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        await Page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(baseAddress, StringComparison.Ordinal))
            {
                await route.ContinueAsync();
            }
            else
            {
                ForeignRequests.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });
        await Page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
    }

    /// <summary>CSP violations the page reported.</summary>
    public Task<string[]> CspViolationsAsync() => Page.EvaluateAsync<string[]>("() => window.__cspViolations || []");

    /// <summary>Opens a path and returns the response status.</summary>
    public async Task<int> GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return response?.Status ?? 0;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(Page.Context.CloseAsync());
}
