using Smart.Web.BankStatements;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Rules.Plugins;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 15's money journey: staff writes an invoice of eight lines with "Add line", watches the live preview follow the typing, issues it
/// (confirming), imports the bank's CODA statement that pays it, and the invoice is paid and gone from the receivables' ageing. The clicks and
/// the seconds it took are printed, to compare with the old five-row form and a payment typed in by hand.
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
    }

    [Fact]
    public Task Staff_writes_an_eight_line_invoice_with_a_live_preview_issues_it_and_a_CODA_statement_pays_it() =>
        intranet.InNewBrowserAsync(nameof(Staff_writes_an_eight_line_invoice_with_a_live_preview_issues_it_and_a_CODA_statement_pays_it), async page =>
        {
            await LiveIntranet.SignInAsync(page, "staff@smart.coop");
            var ageingBefore = await AgeingInvoicesAsync(page);
            var user = new Counted(page);
            var clock = Stopwatch.StartNew();

            await user.ClickAsync("a[data-nav='/Invoices/Index']");
            await user.ClickAsync("#create-invoice");
            var belgian = page.Locator("#unit option", new PageLocatorOptions { HasTextRegex = new Regex("^BE ") }).First;
            await user.ChooseAsync("#unit", (await belgian.GetAttributeAsync("value"))!);
            await user.ClickAsync("#choose-unit button[type=submit]");
            await Expect(page.Locator("#invoice-form")).ToBeVisibleAsync();
            var business = page.Locator("[name='Data.ClientId'] option", new PageLocatorOptions { HasTextString = "(business)" }).First;
            await user.ChooseAsync("[name='Data.ClientId']", (await business.GetAttributeAsync("value"))!);
            await user.ChooseAsync("[name='Data.Issuer']", "smartcoop");
            await user.TypeAsync("[name='Data.Date']", "2026-03-15");
            await user.TypeAsync("[name='Data.DueDate']", "2026-04-14");

            var preview = page.Locator("#invoice-preview");
            var rows = page.Locator("#line-rows tr[data-line-row]");
            for (var i = 0; i < 8; i++)
            {
                if (await rows.CountAsync() <= i) await user.ClickAsync("#add-line");
                await Expect(rows).ToHaveCountAsync(Math.Max(i + 1, await rows.CountAsync()));
                await user.TypeAsync($"[name='Data.Lines[{i}].Description']", $"Rehearsal day {i + 1}");
                await user.ChooseAsync($"[name='Data.Lines[{i}].Category']", "service");
                await user.TypeAsync($"[name='Data.Lines[{i}].Quantity']", "1");
                await user.TypeAsync($"[name='Data.Lines[{i}].UnitPrice']", "100");
                // The preview follows the typing: after each line, the rules' net of the lines so far, without a save.
                await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-net", new Regex($@"^{100 * (i + 1)}(\.0+)?$"));
            }
            await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-lines", "8");
            await Expect(preview.Locator("#preview-totals")).ToHaveAttributeAsync("data-gross", new Regex(@"^968(\.0+)?$"));
            await Expect(preview).ToContainTextAsync("21 %");

            await user.ClickAsync("#save-draft");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Details/\d+$"));
            await Expect(page.Locator("#lines tr[data-line]")).ToHaveCountAsync(8);
            await user.ClickAsync("#issue");
            await Expect(page.Locator("#issue-dialog")).ToBeVisibleAsync();
            await user.ClickAsync("#issue-form button[type=submit]");
            var number = page.Locator("[data-field=number]");
            await Expect(number).ToHaveTextAsync(new Regex(@"^\s*BE-\d{4}-\d{6}\s*$"));
            var issued = (await intranet.Services.GetRequiredService<IInvoiceStore>().FindByNumberAsync((await number.InnerTextAsync()).Trim()))!;
            Assert.Equal(968m, issued.BalanceDue);
            var issuedAt = clock.Elapsed;

            // The bank's statement, as its CODA file arrives: the client paid with the structured communication printed on the invoice.
            var reference = intranet.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Plugin.PaymentReference(PrintModel.ReferenceBase(issued.Number)!.Value);
            var coda = Path.Combine(Directory.CreateTempSubdirectory("smart-browser-coda-").FullName, "statement.cod");
            await File.WriteAllBytesAsync(coda, new CodaWriter("BE68539007547034", DateOnly.FromDateTime(DateTime.Today))
                .Received(issued.BalanceDue, structured: reference, name: "Théâtre client").Bytes());
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
            output.WriteLine($"Journey (8-line invoice with preview, issued, paid by a CODA import, checked in the ageing): {user.Clicks + 1} clicks " +
                $"(the file chosen counts as one), {user.Fields} fields typed, {clock.Elapsed.TotalSeconds:0.0} s in all, {issuedAt.TotalSeconds:0.0} s to the issued invoice.");
            Console.WriteLine($"JOURNEY clicks={user.Clicks + 1} fields={user.Fields} seconds={clock.Elapsed.TotalSeconds:0.0} issuedAfter={issuedAt.TotalSeconds:0.0}");
        });

    private static async Task<string?> AgeingInvoicesAsync(IPage page)
    {
        await page.GotoAsync("/Invoices/Ageing?country=BE");
        return await page.Locator("#ageing").GetAttributeAsync("data-invoices");
    }
}
