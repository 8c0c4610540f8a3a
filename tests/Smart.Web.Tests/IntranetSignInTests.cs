using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

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
        await AddAccountAsync("lockout@smart.coop", "Right-password-1");
        using var browser = Browser.Open(app);

        for (var attempt = 1; attempt <= Account.MaxFailedSignIns; attempt++)
            await browser.SignInAsync("lockout@smart.coop", "wrong-" + attempt);
        var response = await browser.SignInAsync("lockout@smart.coop", "Right-password-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/")).StatusCode);
        var stored = await app.Services.GetRequiredService<IAccountStore>().FindByEmailAsync("lockout@smart.coop");
        Assert.True(stored!.LockedUntilUtc > DateTime.UtcNow.AddMinutes(14));
    }

    [Fact]
    public async Task Wrong_password_unknown_account_and_locked_account_get_the_identical_page_text()
    {
        await AddAccountAsync("same-answer@smart.coop", "Right-password-1");
        await AddAccountAsync("same-answer-locked@smart.coop", "Right-password-1");
        using var browser = Browser.Open(app);
        // The fifth wrong password itself, which used to say "locked", answers like any other.
        var answers = new List<string>();
        for (var attempt = 1; attempt <= Account.MaxFailedSignIns; attempt++)
            answers.Add(await RefusalAsync(browser, "same-answer-locked@smart.coop", "wrong-" + attempt));

        answers.Add(await RefusalAsync(browser, "same-answer@smart.coop", "not-the-password"));
        answers.Add(await RefusalAsync(browser, "nobody-here@smart.coop", "not-the-password"));
        answers.Add(await RefusalAsync(browser, "same-answer-locked@smart.coop", "Right-password-1"));

        Assert.Contains("wrong", answers[0]);
        Assert.All(answers, answer => Assert.Equal(answers[0], answer));
    }

    [Fact]
    public async Task Unknown_and_locked_accounts_take_about_as_long_to_refuse_as_a_wrong_password()
    {
        await AddAccountAsync("timing@smart.coop", "Right-password-1");
        await AddAccountAsync("timing-locked@smart.coop", "Right-password-1");
        using var browser = Browser.Open(app);
        for (var attempt = 1; attempt <= Account.MaxFailedSignIns; attempt++) await browser.SignInAsync("timing-locked@smart.coop", "wrong");
        await browser.SignInAsync("nobody-timed@smart.coop", "warm-up"); // the first unknown e-mail makes the dummy hash

        // Interleaved, so a busy machine slows every kind alike; medians, so one pause does not decide.
        var times = new Dictionary<string, List<double>> { ["wrong"] = [], ["unknown"] = [], ["locked"] = [] };
        for (var round = 0; round < 3; round++)
        {
            times["wrong"].Add(await TimeAsync(browser, "timing@smart.coop", "wrong-" + round));
            times["unknown"].Add(await TimeAsync(browser, "nobody-timed@smart.coop", "wrong"));
            times["locked"].Add(await TimeAsync(browser, "timing-locked@smart.coop", "Right-password-1"));
        }
        var wrong = Median(times["wrong"]);
        foreach (var kind in new[] { "unknown", "locked" })
            Assert.True(Median(times[kind]) > wrong / 3, $"{kind}: {Median(times[kind]):F0} ms against {wrong:F0} ms for a wrong password");

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_after_it()
    {
        using var browser = Browser.Open(app);
        var signIn = await browser.SignInAsync("compliance@smart.coop", AccountDemoSeed.DemoPassword);
        var copied = SessionCookie(signIn);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync("/", copied)).StatusCode);

        var home = await browser.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(home.Forms["sign-out"]!)).StatusCode);

        var replayed = await GetWithCookieAsync("/", copied);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/Account/SignIn", replayed.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_new_password_set_by_an_administrator_ends_the_accounts_open_sessions()
    {
        var account = await AddAccountAsync("new-password@smart.coop", "Right-password-1");
        using var user = await Browser.SignedInAsync(app, "new-password@smart.coop", "Right-password-1");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/")).StatusCode);

        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync($"/Admin/Accounts/Edit/{account.Id}")).Forms["account-form"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(form, ("Data.NewPassword", "Another-password-2"))).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await user.Client.GetAsync("/")).StatusCode);
        using var again = await Browser.SignedInAsync(app, "new-password@smart.coop", "Another-password-2");
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/")).StatusCode);
    }

    private async Task<Account> AddAccountAsync(string email, string password)
    {
        var hasher = app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Account>>();
        var account = new Account(0, email, "Test " + email, "", [Security.SmartRoles.Staff], []);
        return (await app.Services.GetRequiredService<IAccountStore>().AddAsync(account with { PasswordHash = hasher.HashPassword(account, password) }))!;
    }

    /// <summary>The sign-in page's whole text after a refused attempt (the e-mail typed is in an attribute, not in the text).</summary>
    private static async Task<string> RefusalAsync(Browser browser, string email, string password)
    {
        var response = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Browser.DocumentAsync(response)).QuerySelector("main")!.TextContent;
    }

    private static async Task<double> TimeAsync(Browser browser, string email, string password)
    {
        var page = await browser.GetPageAsync("/Account/SignIn");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await browser.SubmitAsync(page.Forms["sign-in"]!, ("Data.Email", email), ("Data.Password", password));
        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static string SessionCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".Smart.Intranet=", StringComparison.Ordinal)).Split(';')[0];

    private async Task<HttpResponseMessage> GetWithCookieAsync(string url, string cookie)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
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
        // What waits for a compliance officer is the rules' work (drafts, simulations): nothing counted of members, units, clients or documents.
        var counted = home.QuerySelectorAll("[data-count]").Select(e => e.GetAttribute("href") ?? e.Closest("a")?.GetAttribute("href") ?? "").ToList();
        Assert.NotEmpty(counted);
        Assert.All(counted, href => Assert.StartsWith("/Rules", new Uri(new Uri("http://localhost"), href).AbsolutePath));
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
