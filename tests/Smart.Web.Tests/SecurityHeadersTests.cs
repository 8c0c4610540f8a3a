using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests;

/// <summary>Issue 10, F9: every response carries the browser-side protections, and no page needs more than the policy allows.</summary>
public partial class SecurityHeadersTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    /// <summary>Every Razor page's route, from the app's own endpoints, with its parameters filled in; and whether it admits anonymous visitors.</summary>
    private IReadOnlyList<(string Url, bool Anonymous)> PageRoutes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => ("/" + RouteParameter().Replace(e.RoutePattern.RawText ?? "", "1"), e.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            .Distinct()
            .ToList();

    [Fact]
    public async Task Every_page_answers_with_the_security_headers_signed_in_and_anonymous()
    {
        var routes = PageRoutes();
        Assert.Contains(routes, r => r.Url == "/Rules/Edit/1");
        Assert.Contains(routes, r => r.Url == "/Account/SignIn" && r.Anonymous);

        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        using var anonymous = Browser.Open(app);
        foreach (var (url, isPublic) in routes)
        {
            var response = await admin.Client.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"{url} answered {(int)response.StatusCode}");
            await AssertProtectedAsync(response, url);

            var visitor = await anonymous.Client.GetAsync(url);
            if (isPublic) Assert.True((int)visitor.StatusCode < 500, $"{url} answered {(int)visitor.StatusCode} to a visitor");
            else Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
            await AssertProtectedAsync(visitor, url);
        }
    }

    [Fact]
    public async Task The_job_dashboard_keeps_to_the_policy_too()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var dashboard = await admin.Client.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        await AssertProtectedAsync(dashboard, "/hangfire");
    }

    [Theory]
    [InlineData("/lib/bootstrap/bootstrap.min.css")]
    [InlineData("/lib/monaco-editor/vs/loader.js")]
    [InlineData("/openapi/v1.json")]
    [InlineData(Http.InvoicePath)]
    [InlineData("/no/such/page")]
    public async Task Files_the_api_and_error_answers_carry_them_too(string url)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await AssertProtectedAsync(await client.GetAsync(url), url);
    }

    [Fact]
    public async Task Outside_development_cookies_are_secure_https_is_required_and_strict()
    {
        using var production = SmartWebFactory.WithSettings(new Dictionary<string, string> { ["https_port"] = "443" });
        using var site = production.WithWebHostBuilder(b => b.UseEnvironment("Production"));

        using var plain = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://intranet.example") });
        var redirected = await plain.GetAsync("/Account/SignIn");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://intranet.example/Account/SignIn", redirected.Headers.Location!.ToString());

        using var browser = new Browser(site.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://intranet.example"),
        }));
        var page = await browser.Client.GetAsync("/Account/SignIn");
        Assert.Contains("max-age=", page.Headers.GetValues("Strict-Transport-Security").Single());
        var signIn = await browser.SignInAsync("staff@smart.coop", AccountDemoSeed.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".Smart.Intranet=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertProtectedAsync(HttpResponseMessage response, string url)
    {
        var csp = Header(response, "Content-Security-Policy", url);
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToList());
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options", url));
        Assert.Equal("DENY", Header(response, "X-Frame-Options", url));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy", url));

        // A page keeps to the policy: every script is a file of the app, no handler sits in an attribute.
        if (response.Content.Headers.ContentType?.MediaType != "text/html") return;
        var document = await Browser.DocumentAsync(response);
        Assert.All(document.QuerySelectorAll("script"), s => Assert.False(string.IsNullOrEmpty(s.GetAttribute("src")), $"{url}: inline script {s.TextContent}"));
        Assert.All(document.All.SelectMany(e => e.Attributes), a => Assert.False(a.Name.StartsWith("on", StringComparison.Ordinal), $"{url}: {a.Name}=\"{a.Value}\""));
        Assert.DoesNotContain(document.All.SelectMany(e => e.Attributes), a => a.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
    }

    private static string Header(HttpResponseMessage response, string name, string url)
    {
        var found = response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values);
        Assert.True(found, $"{url} ({(int)response.StatusCode}) has no {name}");
        return values!.Single();
    }

    /// <summary>A route parameter with its optional constraint: <c>{id:int}</c>, <c>{code:int}</c>, <c>{id?}</c>.</summary>
    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
