using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;

namespace Smart.Web.Tests;

public class IntranetSignInTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Anonymous_page_request_is_redirected_to_sign_in_with_its_return_url()
    {
        using var browser = Browser.Open(app);
        var response = await browser.Client.GetAsync("/Admin/Accounts");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn?ReturnUrl=%2FAdmin%2FAccounts", response.Headers.Location!.PathAndQuery.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task Api_without_key_still_gets_401_problem_and_no_redirect()
    {
        using var browser = Browser.Open(app);
        var response = await browser.Client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Sign_in_page_and_its_stylesheet_are_served_to_anonymous_visitors()
    {
        using var browser = Browser.Open(app);
        var page = await browser.GetPageAsync("/Account/SignIn");
        var stylesheet = page.QuerySelector("link[rel=stylesheet][href*='bootstrap.min.css']")!.GetAttribute("href")!;
        var css = await browser.Client.GetAsync(stylesheet);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Right_password_signs_in_and_goes_to_the_local_return_url()
    {
        using var browser = Browser.Open(app);
        var form = (await browser.GetPageAsync("/Account/SignIn?ReturnUrl=%2FAdmin%2FAccounts")).Forms["sign-in"]!;
        var response = await browser.SubmitAsync(form, ("Data.Email", "ADMIN@smart.coop"), ("Data.Password", AccountDemoSeed.DemoPassword));
        Assert.Equal("/Admin/Accounts", response.Headers.Location!.OriginalString);
        var accounts = await browser.FollowAsync(response);
        Assert.NotNull(accounts.QuerySelector("#accounts"));
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_not_followed()
    {
        using var browser = Browser.Open(app);
        var form = (await browser.GetPageAsync("/Account/SignIn?ReturnUrl=https%3A%2F%2Fevil.example%2F")).Forms["sign-in"]!;
        var response = await browser.SubmitAsync(form, ("Data.Email", "staff@smart.coop"), ("Data.Password", AccountDemoSeed.DemoPassword));
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message_and_no_cookie()
    {
        using var browser = Browser.Open(app);
        var response = await browser.SignInAsync("approver@smart.coop", "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("wrong", page.QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_an_email_names_the_field()
    {
        using var browser = Browser.Open(app);
        var page = await Browser.DocumentAsync(await browser.SignInAsync("", "whatever"));
        Assert.Contains("E-mail", page.QuerySelector("[data-valmsg-for='Data.Email']")!.TextContent);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused()
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var hasher = app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Account>>();
        var account = new Account(0, "lockout@smart.coop", "Lou Lockout", "", [Security.SmartRoles.Staff], []);
        await store.AddAsync(account with { PasswordHash = hasher.HashPassword(account, "Right-password-1") });
        using var browser = Browser.Open(app);

        for (var attempt = 1; attempt <= Account.MaxFailedSignIns; attempt++)
            await browser.SignInAsync("lockout@smart.coop", "wrong-" + attempt);
        var response = await browser.SignInAsync("lockout@smart.coop", "Right-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("locked", page.QuerySelector(".validation-summary-errors")!.TextContent);
        var stored = await store.FindByEmailAsync("lockout@smart.coop");
        Assert.True(stored!.LockedUntilUtc > DateTime.UtcNow.AddMinutes(14));
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var home = await browser.GetPageAsync("/");
        var response = await browser.SubmitAsync(home.Forms["sign-out"]!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_by_get_does_not_sign_out()
    {
        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        await browser.Client.GetAsync("/Account/SignOut");
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var response = await browser.Client.PostAsync("/Account/SignOut", new FormUrlEncodedContent([]));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("admin@smart.coop")]
    [InlineData("staff@smart.coop")]
    [InlineData("partner.fr@smart.coop")]
    [InlineData("partner.it@smart.coop")]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Every_demo_account_signs_in_and_sees_the_home_page(string email)
    {
        using var browser = await Browser.SignedInAsync(app, email);
        var home = await browser.GetPageAsync("/");
        Assert.Contains(email, home.QuerySelector("#user-menu")!.TextContent);
    }

    [Fact]
    public async Task The_home_page_lists_only_a_partner_administrators_country()
    {
        using var browser = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var home = await browser.GetPageAsync("/");
        var countries = home.QuerySelectorAll("#my-countries [data-country]").Select(r => r.GetAttribute("data-country")).ToList();
        Assert.Equal(["FR"], countries);
        var members = home.QuerySelector("#my-countries [data-country='FR'] [data-count='members']")!.TextContent;
        Assert.True(int.Parse(members.Replace(",", "").Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task A_compliance_officer_sees_no_directory_counts()
    {
        using var browser = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var home = await browser.GetPageAsync("/");
        Assert.Empty(home.QuerySelectorAll("[data-count]"));
    }

    [Fact]
    public async Task Cookies_survive_a_restart_because_the_keys_are_kept_in_the_data_directory()
    {
        var dataDirectory = SmartWebFactory.NewDataDirectory();
        try
        {
            string cookie;
            using (var first = SmartWebFactory.OnDataDirectory(dataDirectory))
            {
                using var browser = Browser.Open(first);
                var response = await browser.SignInAsync("staff@smart.coop", AccountDemoSeed.DemoPassword);
                cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".Smart.Intranet=", StringComparison.Ordinal)).Split(';')[0];
            }
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(dataDirectory, AccountServices.KeysDirectoryName), "*.xml"));

            using var restarted = SmartWebFactory.OnDataDirectory(dataDirectory);
            using var client = restarted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(dataDirectory);
        }
    }
}
