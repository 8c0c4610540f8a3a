using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 15's first journey, in French: find a member by typing part of their name in the top bar, open their unit, start an invoice
/// from it (the unit already chosen), and pick the client by typing, under the intranet's Content-Security-Policy.
/// </summary>
public sealed class FindJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string DemoPassword = "Demo-2026!";

    [Fact]
    public async Task Staff_finds_a_member_by_part_of_the_name_opens_their_unit_and_starts_an_invoice_from_it_in_French()
    {
        var belgium = CountryScope.Only("BE");
        var unit = (await intranet.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(belgium) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var member = (await intranet.Services.GetRequiredService<IMemberStore>().GetAsync(unit.MemberId))!;
        var client = (await intranet.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(belgium) { Take = 1 })).Rows[0];
        static string Start(string name) => name.Split(' ', '-')[0] is var word && word.Length > 5 ? word[..5] : name.Split(' ', '-')[0];
        var typed = (Start(member.LastName) + " " + Start(member.FirstName)).ToLower(CultureInfo.GetCultureInfo("fr-BE"));

        await intranet.InNewBrowserAsync(nameof(Staff_finds_a_member_by_part_of_the_name_opens_their_unit_and_starts_an_invoice_from_it_in_French), async page =>
        {
            var refused = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add(message.Text);
            };
            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", "staff@smart.coop");
            await page.FillAsync("[name='Data.Password']", DemoPassword);
            await page.ClickAsync("#sign-in button[type=submit]");
            await page.ClickAsync("#language-picker button[value='fr-BE']");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");

            // The top bar's search: part of the last and first names.
            await page.Locator("#global-search input[name=q]").PressSequentiallyAsync(typed);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Recherche");
            await Expect(page.Locator($"#found-members li[data-id='{member.Id}']")).ToContainTextAsync(member.Name);

            await page.ClickAsync($"#found-units li[data-id='{unit.Id}'] a");
            await Expect(page).ToHaveURLAsync(new Regex($"/ProductionUnits/Details/{unit.Id}$"));
            await Expect(page.Locator("#unit-name")).ToHaveTextAsync(unit.Name);

            await page.ClickAsync("#new-invoice");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Nouvelle facture");
            await Expect(page.Locator("#invoice-form [name='Data.ProductionUnitId']")).ToHaveValueAsync(unit.Id.ToString(CultureInfo.InvariantCulture));

            // The client is picked by typing: Tom Select asks the intranet and fills the form's own select.
            await page.Locator("#Data_ClientId-ts-control").PressSequentiallyAsync(string.Join(' ', client.Name.Split(' ').Take(2)));
            await page.ClickAsync($".ts-dropdown [data-choice='{client.Id}']");
            Assert.Equal(client.Id.ToString(CultureInfo.InvariantCulture), await page.EvalOnSelectorAsync<string>("select[name='Data.ClientId']", "s => s.value"));
            Assert.Empty(refused);
        });
    }
}
