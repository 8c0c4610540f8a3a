using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Web.Tests;

namespace Smart.Browser.Tests;

/// <summary>
/// The real app listening on a free local port, on a fresh data directory, and one headless Debian Chromium driving it.
/// One per test class: starting both takes seconds on a small machine; each test still gets its own browser context
/// (cookies, language), so tests do not see each other's sign-in.
/// </summary>
public sealed class LiveIntranet : IAsyncLifetime
{
    /// <summary>Debian's package: Playwright cannot download its own browser here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Generous on purpose: a 2-core CI machine compiles Razor views and starts Chromium on first use.</summary>
    public const float Timeout = 30_000;

    private readonly SmartWebFactory app = new();
    private IPlaywright? playwright;
    private IBrowser? browser;

    public Uri Address { get; private set; } = null!;

    /// <summary>The app's services, to arrange what a journey needs that no page makes (a simulation held in the queue).</summary>
    public IServiceProvider Services => app.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium, or apt-get install chromium.");

        app.UseKestrel(0);
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First());

        Assertions.SetDefaultExpectTimeout(Timeout);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = Timeout,
            Args =
            [
                "--no-sandbox", // root in containers and CI has no user namespace for the sandbox
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>
    /// Runs <paramref name="steps"/> in a fresh browser context (no cookies, English browser) and, when they fail,
    /// saves a full-page screenshot as screenshots/<paramref name="name"/>.png in the test output directory.
    /// </summary>
    public async Task InNewBrowserAsync(string name, Func<IPage, Task> steps)
    {
        await using var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            Locale = "en-GB", // not one of the three: the app's default, English, whatever the machine's locale
        });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        var page = await context.NewPageAsync();
        try
        {
            await steps(page);
        }
        catch
        {
            var file = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try { await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true }); }
            catch (PlaywrightException) { } // a crashed page cannot be photographed; the test's own error matters more
            throw;
        }
    }

    /// <summary>Signs in through the sign-in form with the demo password and waits for the signed-in top bar.</summary>
    public static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("[name='Data.Email']", email);
        await page.FillAsync("[name='Data.Password']", Web.Storage.Accounts.AccountDemoSeed.DemoPassword);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        await app.DisposeAsync();
    }
}
