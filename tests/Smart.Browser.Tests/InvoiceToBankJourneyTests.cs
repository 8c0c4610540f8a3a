using Smart.Web.BankStatements;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Rules.Plugins;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Xunit.Abstractions;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 15's day of work, in French and in Dutch: staff finds a member by typing part of their name in the top bar, opens their unit,
/// starts an invoice from it, picks the client by typing, writes eight lines with "Add line" while the live preview follows, issues it
/// (confirming), imports the bank's CODA statement that pays it, and the invoice is paid and gone from the receivables' ageing. The clicks
/// and the seconds it took are printed, to compare with the old five-row form and a payment typed in by hand.
/// </summary>
public sealed class InvoiceToBankJourneyTests(LiveIntranet intranet, ITestOutputHelper output) : IClassFixture<LiveIntranet>
{
    /// <summary>The user's actions, counted as a person makes them: a click (a choice in a list counts as one) or a field typed into.</summary>
    private sealed class Counted(IPage page)
    {
        public int Clicks { get; private set; }
        public int Fields { get; private set; }

        public async Task ClickAsync(string selector)
        {
            Clicks++;
            await page.ClickAsync(selector);
        }

        public async Task ChooseAsync(string selector, string value)
        {
            Clicks++;
            await page.SelectOptionAsync(selector, value);
        }

        /// <summary>A page reached from a menu or a link elsewhere: one click, made here by its address.</summary>
        public async Task VisitAsync(string address)
        {
            Clicks++;
            await page.GotoAsync(address);
        }

        public async Task TypeAsync(string selector, string value)
        {
            Fields++;
            await page.FillAsync(selector, value);
        }

        /// <summary>Typed key by key, as a picker that searches while typing needs.</summary>
        public async Task TypeKeysAsync(string selector, string value)
        {
            Fields++;
            await page.Locator(selector).PressSequentiallyAsync(value);
        }
    }

    [Theory]
    [InlineData("fr-BE", "fr")]
    [InlineData("nl-BE", "nl")]
    public async Task Staff_finds_a_member_writes_an_eight_line_invoice_from_their_unit_issues_it_and_a_CODA_statement_pays_it(string culture, string language)
    {
        var belgium = CountryScope.Only("BE");
        var unit = (await intranet.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(belgium) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var member = (await intranet.Services.GetRequiredService<IMemberStore>().GetAsync(unit.MemberId))!;
        var client = (await intranet.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(belgium) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        static string Start(string name) => name.Split(' ', '-')[0] is var word && word.Length > 5 ? word[..5] : name.Split(' ', '-')[0];
        var typed = (Start(member.LastName) + " " + Start(member.FirstName)).ToLower(CultureInfo.GetCultureInfo(culture));

        await intranet.InNewBrowserAsync($"{nameof(Staff_finds_a_member_writes_an_eight_line_invoice_from_their_unit_issues_it_and_a_CODA_statement_pays_it)}-{language}", async page =>
        {
            await LiveIntranet.SignInAsync(page, "staff@smart.coop");
            await page.ClickAsync($"#language-picker button[value='{culture}']");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            var ageingBefore = await AgeingInvoicesAsync(page);
            await page.GotoAsync("/");
            var user = new Counted(page);
            var clock = Stopwatch.StartNew();

            // Find the member by part of their names in the top bar, open their unit, start an invoice from it.
            await user.TypeAsync("#global-search input[name=q]", typed);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator($"#found-members li[data-id='{member.Id}']")).ToContainTextAsync(member.Name);
            await user.ClickAsync($"#found-units li[data-id='{unit.Id}'] a");
            await Expect(page.Locator("#unit-name")).ToHaveTextAsync(unit.Name);
            await user.ClickAsync("#new-invoice");
            await Expect(page.Locator("#invoice-form [name='Data.ProductionUnitId']")).ToHaveValueAsync(unit.Id.ToString(CultureInfo.InvariantCulture));

            // The client is picked by typing: the picker asks the intranet and fills the form's own select.
            await user.TypeKeysAsync("#Data_ClientId-ts-control", string.Join(' ', client.Name.Split(' ').Take(2)));
            await user.ClickAsync($".ts-dropdown [data-choice='{client.Id}']");
            await user.ChooseAsync("[name='Data.Issuer']", "smartcoop");
            await user.TypeAsync("[name='Data.Date']", "2026-03-15");
            await user.TypeAsync("[name='Data.DueDate']", "2026-04-14");

            var preview = page.Locator("#invoice-preview");
            var rows = page.Locator("#line-rows tr[data-line-row]");
            for (var i = 0; i < 8; i++)
            {
                if (await rows.CountAsync() <= i) await user.ClickAsync("#add-line");
                await Expect(rows).ToHaveCountAsync(Math.Max(i + 1, await rows.CountAsync()));
                await user.TypeAsync($"[name='Data.Lines[{i}].Description']", $"Répétition / repetitie {i + 1}");
                await user.ChooseAsync($"[name='Data.Lines[{i}].Category']", "service");
                await user.TypeAsync($"[name='Data.Lines[{i}].Quantity']", "1");
                await user.TypeAsync($"[name='Data.Lines[{i}].UnitPrice']", "100");
                // The preview follows the typing: after each line, the rules' net of the lines so far, without a save.
                await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-net", new Regex($@"^{100 * (i + 1)}(\.0+)?$"));
            }
            await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-lines", "8");
            await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-gross", new Regex(@"^968(\.0+)?$"));
            await Expect(preview).ToContainTextAsync(new Regex(@"21\s?%"));

            await user.ClickAsync("#save-draft");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Details/\d+$"));
            await Expect(page.Locator("#lines tr[data-line]")).ToHaveCountAsync(8);
            await user.ClickAsync("#issue");
            await Expect(page.Locator("#issue-dialog")).ToBeVisibleAsync();
            await user.ClickAsync("#issue-form button[type=submit]");
            var number = page.Locator("[data-field=number]");
            await Expect(number).ToHaveTextAsync(new Regex(@"^\s*BE-\d{4}-\d{6}\s*$"));
            var issued = (await intranet.Services.GetRequiredService<IInvoiceStore>().FindByNumberAsync((await number.InnerTextAsync()).Trim()))!;
            Assert.Equal((unit.Id, client.Id, 968m), (issued.ProductionUnitId, issued.ClientId, issued.BalanceDue));
            var issuedAt = clock.Elapsed;

            // The bank's statement, as its CODA file arrives: the client paid with the structured communication printed on the invoice.
            var reference = intranet.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Plugin.PaymentReference(PrintModel.ReferenceBase(issued.Number)!.Value);
            var coda = Path.Combine(Directory.CreateTempSubdirectory("smart-browser-coda-").FullName, "statement.cod");
            await File.WriteAllBytesAsync(coda, new CodaWriter("BE68539007547034", DateOnly.FromDateTime(DateTime.Today))
                .Received(issued.BalanceDue, structured: reference, name: client.Name).Bytes());
            await user.VisitAsync("/BankStatements");
            await page.SetInputFilesAsync("[name='Data.File']", coda);
            await user.ChooseAsync("[name='Data.Country']", "BE");
            await user.ClickAsync("#import");
            await Expect(page.Locator($"#lines tbody tr[data-status='Matched'][data-invoice='{issued.Number}']")).ToHaveCountAsync(1);
            await user.VisitAsync("/Invoices/Ageing?country=BE");
            await Expect(page.Locator("#ageing")).ToBeVisibleAsync();
            clock.Stop();

            var paid = (await intranet.Services.GetRequiredService<IInvoiceStore>().GetAsync(issued.Id))!;
            Assert.Equal((InvoiceStatus.Paid, 0m), (paid.Status, paid.BalanceDue));
            // Gone from the ageing: the open invoices it counts are the ones before the journey.
            Assert.Equal(ageingBefore, await page.Locator("#ageing").GetAttributeAsync("data-invoices"));
            // Every page of the journey stayed in the user's language.
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            output.WriteLine($"Journey in {culture} (member found by typing, 8-line invoice from their unit with preview, issued, paid by a CODA import, " +
                $"checked in the ageing): {user.Clicks + 1} clicks (the file chosen counts as one), {user.Fields} fields typed, " +
                $"{clock.Elapsed.TotalSeconds:0.0} s in all, {issuedAt.TotalSeconds:0.0} s to the issued invoice.");
            Console.WriteLine($"JOURNEY culture={culture} clicks={user.Clicks + 1} fields={user.Fields} seconds={clock.Elapsed.TotalSeconds:0.0} issuedAfter={issuedAt.TotalSeconds:0.0}");
        });
    }

    private static async Task<string?> AgeingInvoicesAsync(IPage page)
    {
        await page.GotoAsync("/Invoices/Ageing?country=BE");
        return await page.Locator("#ageing").GetAttributeAsync("data-invoices");
    }
}
