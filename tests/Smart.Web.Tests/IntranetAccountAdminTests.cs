using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests;

public class IntranetAccountAdminTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task The_navigation_shows_Accounts_to_an_administrator()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var home = await admin.GetPageAsync("/");
        Assert.NotNull(home.QuerySelector("#main-links a[data-nav='/Admin/Accounts/Index']"));
    }

    [Theory]
    [InlineData("staff@smart.coop")]
    [InlineData("partner.fr@smart.coop")]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Other_roles_see_no_Accounts_link_and_get_403_on_the_admin_pages(string email)
    {
        using var browser = await Browser.SignedInAsync(app, email);
        var home = await browser.GetPageAsync("/");
        Assert.Null(home.QuerySelector("#main-links a[data-nav='/Admin/Accounts/Index']"));

        foreach (var url in new[] { "/Admin/Accounts", "/Admin/Accounts/Create", "/Admin/Accounts/Edit/1" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.DoesNotContain("admin@smart.coop", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_administrator_creates_an_account_that_can_then_sign_in()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync("/Admin/Accounts/Create")).Forms["account-form"]!;
        var response = await admin.SubmitAsync(form, ("Data.Email", "new.be@smart.coop"), ("Data.DisplayName", "Nele Nieuw"),
            ("Data.Password", "A-long-password-1"), ("Data.Roles", "partner-admin"), ("Data.Countries", "BE"));
        var list = await admin.FollowAsync(response);
        Assert.NotNull(list.QuerySelector("tr[data-account='new.be@smart.coop']"));

        using var newcomer = await Browser.SignedInAsync(app, "new.be@smart.coop", "A-long-password-1");
        var home = await newcomer.GetPageAsync("/");
        Assert.Equal(["BE"], home.QuerySelectorAll("#my-countries [data-country]").Select(r => r.GetAttribute("data-country")));
    }

    [Fact]
    public async Task Creating_an_account_with_a_bad_email_names_the_field()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync("/Admin/Accounts/Create")).Forms["account-form"]!;
        var response = await admin.SubmitAsync(form, ("Data.Email", "not-an-email"), ("Data.DisplayName", "Bad Mail"),
            ("Data.Password", "A-long-password-1"), ("Data.Roles", "staff"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        var message = page.QuerySelector("[data-valmsg-for='Data.Email']")!.TextContent;
        Assert.Contains("E-mail", message);
        Assert.Null(await app.Services.GetRequiredService<IAccountStore>().FindByEmailAsync("not-an-email"));
    }

    [Fact]
    public async Task A_partner_administrator_without_exactly_one_country_is_refused_on_the_countries_field()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync("/Admin/Accounts/Create")).Forms["account-form"]!;
        var response = await admin.SubmitAsync(form, ("Data.Email", "two.countries@smart.coop"), ("Data.DisplayName", "Two Countries"),
            ("Data.Password", "A-long-password-1"), ("Data.Roles", "partner-admin"), ("Data.Countries", "FR"), ("Data.Countries", "IT"));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("exactly one country", page.QuerySelector("[data-valmsg-for='Data.Countries']")!.TextContent);
    }

    [Fact]
    public async Task A_second_account_with_the_same_email_is_refused_on_the_email_field()
    {
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync("/Admin/Accounts/Create")).Forms["account-form"]!;
        var response = await admin.SubmitAsync(form, ("Data.Email", "Staff@Smart.coop"), ("Data.DisplayName", "Twin"),
            ("Data.Password", "A-long-password-1"), ("Data.Roles", "staff"));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("already", page.QuerySelector("[data-valmsg-for='Data.Email']")!.TextContent);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_the_newer_save_is_kept()
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var account = await store.AddAsync(new Account(0, "stale@smart.coop", "Stale Stan", "x", [Security.SmartRoles.Staff], []));
        using var first = await Browser.SignedInAsync(app, "admin@smart.coop");
        using var second = await Browser.SignedInAsync(app, "admin@smart.coop");
        var firstForm = (await first.GetPageAsync($"/Admin/Accounts/Edit/{account!.Id}")).Forms["account-form"]!;
        var secondForm = (await second.GetPageAsync($"/Admin/Accounts/Edit/{account.Id}")).Forms["account-form"]!;

        var saved = await first.SubmitAsync(firstForm, ("Data.DisplayName", "Stan by the first"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var refused = await second.SubmitAsync(secondForm, ("Data.DisplayName", "Stan by the second"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Browser.DocumentAsync(refused);
        Assert.Contains("Someone else saved this account", page.QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal("Stan by the first", (await store.GetAsync(account.Id))!.DisplayName);
    }

    [Fact]
    public async Task An_administrator_unlocks_a_locked_account_and_changing_roles_reaches_its_open_session()
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var hasher = app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Account>>();
        var draft = new Account(0, "unlock@smart.coop", "Una Unlock", "", [Security.SmartRoles.Staff], []);
        var account = await store.AddAsync(draft with { PasswordHash = hasher.HashPassword(draft, "Right-password-1") });
        using var user = await Browser.SignedInAsync(app, "unlock@smart.coop", "Right-password-1");
        await store.RecordSignInAsync(account!.Id, 0, DateTime.UtcNow.AddMinutes(15));

        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var form = (await admin.GetPageAsync($"/Admin/Accounts/Edit/{account.Id}")).Forms["account-form"]!;
        Assert.NotNull(form.QuerySelector("[name='Data.Unlock']"));
        var response = await admin.SubmitAsync(form, ("Data.Unlock", "true"), ("Data.Roles", "administrator"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var stored = await store.GetAsync(account.Id);
        Assert.Null(stored!.LockedUntilUtc);
        // The locked account's cookie was refused meanwhile; signing in again now works and carries the new role.
        using var again = await Browser.SignedInAsync(app, "unlock@smart.coop", "Right-password-1");
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/Admin/Accounts")).StatusCode);
    }

    [Fact]
    public async Task A_role_removed_by_an_administrator_is_gone_from_the_open_session()
    {
        var store = app.Services.GetRequiredService<IAccountStore>();
        var hasher = app.Services.GetRequiredService<Microsoft.AspNetCore.Identity.IPasswordHasher<Account>>();
        var draft = new Account(0, "demoted@smart.coop", "Dee Demoted", "", [Security.SmartRoles.Administrator], []);
        var account = await store.AddAsync(draft with { PasswordHash = hasher.HashPassword(draft, "Right-password-1") });
        using var user = await Browser.SignedInAsync(app, "demoted@smart.coop", "Right-password-1");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/Admin/Accounts")).StatusCode);

        await store.UpdateAsync(account! with { Roles = [Security.SmartRoles.Staff] }, account.Version);

        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/Admin/Accounts")).StatusCode);
    }
}
