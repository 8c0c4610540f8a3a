using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>Issue 3's browser journey: sign in, create a member with a valid and an invalid Belgian national number, French.</summary>
public sealed class IntranetJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string Staff = "staff@smart.coop";

    [Fact]
    public Task Staff_signs_in_and_sees_the_home_page_with_the_members_link() =>
        intranet.InNewBrowserAsync(nameof(Staff_signs_in_and_sees_the_home_page_with_the_members_link), async page =>
        {
            await LiveIntranet.SignInAsync(page, Staff);

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
            await LiveIntranet.SignInAsync(page, Staff);
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

    [Fact]
    public Task Staff_creates_a_Belgian_member_is_told_when_the_national_number_is_wrong_and_reads_it_in_French() =>
        intranet.InNewBrowserAsync(nameof(Staff_creates_a_Belgian_member_is_told_when_the_national_number_is_wrong_and_reads_it_in_French), async page =>
        {
            await LiveIntranet.SignInAsync(page, Staff);

            // A valid national number (domain-facts §5): the member is created and shown on its own page.
            await OpenNewMemberFormAsync(page);
            await FillMemberAsync(page, "Amélie", "Verhaegen", "amelie.verhaegen@example.be", "85.07.30-033.28", authorRights: "1234");
            await page.ClickAsync("#save");

            await Expect(page).ToHaveURLAsync(new Regex(@"/Members/Details/\d+$"));
            await Expect(page.Locator("#flash")).ToBeVisibleAsync();
            await Expect(page.Locator("#member-name")).ToContainTextAsync("Verhaegen");
            var stored = await page.Locator("[data-field=national-number]").InnerTextAsync();
            Assert.Equal("85073003328", new string(stored.Where(char.IsAsciiDigit).ToArray()));
            var detailsUrl = page.Url;

            // The same number with a wrong check digit: refused on the national-number field, nothing else blamed.
            await OpenNewMemberFormAsync(page);
            await FillMemberAsync(page, "Bruno", "Peeters", "bruno.peeters@example.be", "85.07.30-033.29", authorRights: "0");
            await page.ClickAsync("#save");

            var error = page.Locator("[data-valmsg-for='Data.NationalNumber']");
            await Expect(error).ToHaveClassAsync(new Regex("field-validation-error"));
            await Expect(error).ToContainTextAsync("national number");
            await Expect(page.Locator("#member-form .field-validation-error")).ToHaveCountAsync(1);
            await Expect(page.Locator("[name='Data.NationalNumber']")).ToHaveValueAsync("85.07.30-033.29");
            await Expect(page.Locator("#member-name")).ToHaveCountAsync(0);

            // French: the menu in French and the member's author rights written 1.234,00 €.
            await page.GotoAsync(detailsUrl);
            await page.ClickAsync("#language-picker button[value='fr-BE']");

            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            await Expect(page).ToHaveURLAsync(detailsUrl);
            await Expect(page.Locator("a[data-nav='/Members/Index']")).ToHaveTextAsync("Membres");
            await Expect(page.Locator("#member")).ToContainTextAsync("Numéro national");
            await Expect(page.Locator("[data-field=author-rights]")).ToHaveTextAsync(new Regex(@"^\s*1\.234,00\s€\s*$"));
        });

    private static async Task OpenNewMemberFormAsync(IPage page)
    {
        await page.ClickAsync("a[data-nav='/Members/Index']");
        await Expect(page.Locator("#members")).ToBeVisibleAsync();
        await page.ClickAsync("#create-member");
        await Expect(page.Locator("#member-form")).ToBeVisibleAsync();
    }

    private static async Task FillMemberAsync(IPage page, string firstName, string lastName, string email, string nationalNumber, string authorRights)
    {
        await page.FillAsync("[name='Data.FirstName']", firstName);
        await page.FillAsync("[name='Data.LastName']", lastName);
        await page.FillAsync("[name='Data.Email']", email);
        await page.SelectOptionAsync("[name='Data.Country']", "BE");
        await page.FillAsync("[name='Data.NationalNumber']", nationalNumber);
        await page.FillAsync("[name='Data.BirthDate']", "1985-07-30");
        await page.FillAsync("[name='Data.MemberSince']", "2024-01-15");
        await page.SelectOptionAsync("[name='Data.Sector']", new SelectOptionValue { Index = 1 });
        await page.FillAsync("[name='Data.Office']", "Bruxelles");
        await page.FillAsync("[name='Data.AuthorRightsYearToDate']", authorRights);
    }


    /// <summary>Every number shown is written the Belgian French way: thousands grouped with a dot, never a comma or a space.</summary>
    private static async Task ExpectFrenchNumbersAsync(ILocator cells)
    {
        await Expect(cells.First).ToBeVisibleAsync();
        var texts = await cells.AllInnerTextsAsync();
        Assert.All(texts, text => Assert.Matches(@"^\d{1,3}(\.\d{3})*$", text.Trim()));
    }
}
