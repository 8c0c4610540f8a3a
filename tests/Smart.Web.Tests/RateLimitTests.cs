using System.Net;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests;

/// <summary>Issue 10, F7: sign-in and the API refuse with 429 past the configured limits, per address and per account or key.</summary>
public sealed class RateLimitTests : IDisposable
{
    // The in-memory server gives every request the same (no) address; an hour's window cannot roll over mid-test.
    private readonly SmartWebFactory app = SmartWebFactory.WithSettings(new Dictionary<string, string>
    {
        ["Smart:RateLimits:WindowSeconds"] = "3600",
        ["Smart:RateLimits:SignInPerAddress"] = "4", ["Smart:RateLimits:SignInPerAccount"] = "2",
        ["Smart:RateLimits:ApiPerAddress"] = "4", ["Smart:RateLimits:ApiPerKey"] = "2",
    });

    [Fact]
    public async Task Sign_in_answers_429_past_the_limit_per_account_and_then_per_address()
    {
        using var browser = Browser.Open(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync("admin@smart.coop", "guess-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync("admin@smart.coop", "guess-2")).StatusCode);

        // A third try on the same account, even with the right password, waits.
        var limited = await browser.SignInAsync("ADMIN@smart.coop", AccountDemoSeed.DemoPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");
        Assert.Equal("429", (await Browser.DocumentAsync(limited)).QuerySelector("[data-status]")!.GetAttribute("data-status"));

        // Another account from the same address: the fourth attempt from here passes, the fifth does not.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("staff@smart.coop", AccountDemoSeed.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync("approver@smart.coop", AccountDemoSeed.DemoPassword)).StatusCode);

        // Pages other than the sign-in post are not counted.
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/Account/SignIn")).StatusCode);
    }

    [Fact]
    public async Task The_api_answers_429_problem_past_the_limit_per_key_and_then_per_address()
    {
        using var partner = app.DemoPartner();
        await (await partner.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertOkAsync();
        await (await partner.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertOkAsync();
        var limited = await partner.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter is not null, "no Retry-After");

        // Guessing keys from the same address: each guess is its own key, the address still runs out.
        using var guesser = app.ClientWithKey("guess-one");
        await (await guesser.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var second = app.ClientWithKey("guess-two");
        await (await second.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    public void Dispose() => app.Dispose();
}
