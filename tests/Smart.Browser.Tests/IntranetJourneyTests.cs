using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>Issue 3's browser journey: sign in, create a member with a valid and an invalid Belgian national number, French.</summary>
public sealed class IntranetJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string Staff = "staff@smart.coop";
    private const string DemoPassword = "Demo-2026!";

    [Fact]
    public Task Staff_signs_in_and_sees_the_home_page_with_the_members_link() =>
        intranet.InNewBrowserAsync(nameof(Staff_signs_in_and_sees_the_home_page_with_the_members_link), async page =>
        {
            await SignInAsync(page, Staff);

            await Expect(page.Locator("h1")).ToContainTextAsync("Welcome");
            await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
            await Expect(page.Locator("#my-countries tr[data-country=BE]")).ToBeVisibleAsync();
        });

    [Fact]
    public Task A_wrong_password_is_refused_on_the_sign_in_page() =>
        intranet.InNewBrowserAsync(nameof(A_wrong_password_is_refused_on_the_sign_in_page), async page =>
        {
            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", Staff);
            await page.FillAsync("[name='Data.Password']", "not-the-password");
            await page.ClickAsync("#sign-in button[type=submit]");

            await Expect(page.Locator("#sign-in .alert-danger")).ToBeVisibleAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/Account/SignIn", RegexOptions.IgnoreCase));
            await Expect(page.Locator("#user-menu")).ToHaveCountAsync(0);
        });

    [Fact]
    public Task Switching_to_French_shows_the_intranet_in_French_and_keeps_it() =>
        intranet.InNewBrowserAsync(nameof(Switching_to_French_shows_the_intranet_in_French_and_keeps_it), async page =>
        {
            await SignInAsync(page, Staff);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");

            await page.ClickAsync("#language-picker button[value='fr-BE']");

            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            await Expect(page.Locator("h1")).ToContainTextAsync("Bienvenue");
            await Expect(page.Locator("#my-countries thead")).ToContainTextAsync("Membres");
            await Expect(page.Locator("#language-picker button[value='fr-BE']")).ToHaveAttributeAsync("aria-pressed", "true");
            await ExpectFrenchNumbersAsync(page.Locator("#my-countries td[data-count]"));

            // The choice is remembered: a page opened afterwards is French too.
            await page.GotoAsync("/");
            await Expect(page.Locator("h1")).ToContainTextAsync("Bienvenue");
        });

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.FillAsync("[name='Data.Email']", email);
        await page.FillAsync("[name='Data.Password']", DemoPassword);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
    }

    /// <summary>Every number shown is written the Belgian French way: thousands grouped with a dot, never a comma or a space.</summary>
    private static async Task ExpectFrenchNumbersAsync(ILocator cells)
    {
        await Expect(cells.First).ToBeVisibleAsync();
        var texts = await cells.AllInnerTextsAsync();
        Assert.All(texts, text => Assert.Matches(@"^\d{1,3}(\.\d{3})*$", text.Trim()));
    }
}
