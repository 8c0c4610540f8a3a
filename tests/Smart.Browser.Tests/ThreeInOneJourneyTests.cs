using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 18's browser journey, in French: a 3-in-1 job on a French production unit, calculated, then created with a receipt uploaded; the
/// invoice, the contract and the expense claim with its receipt are then there, each on its own page.
/// </summary>
public sealed class ThreeInOneJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string Staff = "staff@smart.coop";
    private static readonly CultureInfo French = IntranetCultures.Find(IntranetCultures.French);

    /// <summary>A 1×1 transparent PNG: the receipt as a phone would photograph it, only smaller.</summary>
    private static readonly byte[] ReceiptPng = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    [Fact]
    public Task Staff_walks_a_French_3_in_1_job_with_a_receipt_in_French_and_finds_the_invoice_the_contract_and_the_claim() =>
        intranet.InNewBrowserAsync(nameof(Staff_walks_a_French_3_in_1_job_with_a_receipt_in_French_and_finds_the_invoice_the_contract_and_the_claim), async page =>
        {
            // A fresh French unit with nothing in its ledger: the job's own invoice is what pays its contract.
            var unit = await NewFrenchUnitAsync();
            await LiveIntranet.SignInAsync(page, Staff);
            await page.ClickAsync("#language-picker button[value='fr-BE']");
            await Expect(page.Locator("#language-picker button[value='fr-BE']")).ToHaveAttributeAsync("aria-pressed", "true");

            await page.GotoAsync($"/ProductionUnits/Details/{unit.Id}");
            await Expect(page.Locator("#new-job")).ToHaveTextAsync("Nouvelle mission 3-en-1");
            await page.ClickAsync("#new-job");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Nouvelle mission 3-en-1");

            // The invoice.
            var business = page.Locator("[name='Data.Invoice.ClientId'] option", new PageLocatorOptions { HasTextString = "(Entreprise)" }).First;
            await page.SelectOptionAsync("[name='Data.Invoice.ClientId']", (await business.GetAttributeAsync("value"))!);
            await page.FillAsync("[name='Data.Invoice.Date']", "2026-03-10");
            await page.FillAsync("[name='Data.Invoice.DueDate']", "2026-04-09");
            await page.FillAsync("[name='Data.Invoice.Lines[0].Description']", "Conception d'affiches");
            await page.SelectOptionAsync("[name='Data.Invoice.Lines[0].Category']", "service");
            await page.FillAsync("[name='Data.Invoice.Lines[0].Quantity']", "10");
            await page.FillAsync("[name='Data.Invoice.Lines[0].UnitPrice']", "100");
            // The contract: the unit's member, three days of work.
            await page.SelectOptionAsync("[name='Data.Contract.JobCategory']", "employee");
            await page.FillAsync("[name='Data.Contract.StartDate']", "2026-03-10");
            await page.FillAsync("[name='Data.Contract.EndDate']", "2026-03-12");
            await page.FillAsync("[name='Data.Contract.Days']", "3");
            await page.FillAsync("[name='Data.Contract.Hours']", "24");
            // One expense, with a receipt (typed as a French-speaking Belgian office writes amounts).
            await page.FillAsync("[name='Data.Expenses[0].Date']", "2026-03-10");
            await page.FillAsync("[name='Data.Expenses[0].Supplier']", "Papeterie Dupont");
            await page.SelectOptionAsync("[name='Data.Expenses[0].Category']", "supplies");
            await page.FillAsync("[name='Data.Expenses[0].Amount']", "60,00");
            await page.FillAsync("[name='Data.Expenses[0].Vat']", "10,00");

            await page.ClickAsync("#calculate-job");
            var figures = page.Locator("#job-figures");
            await Expect(figures).ToBeVisibleAsync();
            await Expect(figures).ToContainTextAsync("Salaire brut que paie la facture");
            await Expect(figures.Locator("[data-figure='net'] .money")).ToHaveTextAsync(Money.Format(1000m, "EUR", French));
            var calculatedSalary = (await figures.Locator("[data-figure='gross-salary'] .money").InnerTextAsync()).Trim();
            await Expect(page.Locator(".field-validation-error")).ToHaveCountAsync(0);

            // A calculation keeps no file: the receipt is attached now, then the three documents are created.
            await page.SetInputFilesAsync("[name='Data.Expenses[0].Receipt']", new FilePayload { Name = "ticket-papeterie.png", MimeType = "image/png", Buffer = ReceiptPng });
            await page.ClickAsync("#create-job");
            await Expect(page).ToHaveURLAsync(new Regex(@"/ThreeInOne/Created\?"));
            await Expect(page.Locator("h1")).ToHaveTextAsync("Mission 3-en-1 créée");
            var createdUrl = page.Url;

            await page.ClickAsync("[data-document='invoice'] a");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Details/\d+$"));
            await Expect(page.Locator("#lines")).ToContainTextAsync("Conception d'affiches");

            await page.GotoAsync(createdUrl);
            await page.ClickAsync("[data-document='contract'] a");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Contracts/Details/\d+$"));
            var contractId = int.Parse(Regex.Match(page.Url, @"/(\d+)$").Groups[1].Value, CultureInfo.InvariantCulture);
            var contract = (await intranet.Services.GetRequiredService<IContractStore>().GetAsync(contractId))!;
            Assert.Equal(unit.Id, contract.ProductionUnitId);
            // The salary the calculation showed is the one the stored contract pays.
            Assert.Equal(Money.Format(contract.Evaluation!.Employment.GrossSalary, "EUR", French), calculatedSalary);

            await page.GotoAsync(createdUrl);
            await page.ClickAsync("[data-document='expense-claim'] a");
            await Expect(page).ToHaveURLAsync(new Regex(@"/ExpenseClaims/Details/\d+$"));
            await Expect(page.Locator("body")).ToContainTextAsync("Papeterie Dupont");
            await Expect(page.Locator("#receipt")).ToHaveAttributeAsync("data-type", "image/png");
            var receipt = page.Locator("#receipt img");
            await Expect(receipt).ToBeVisibleAsync();
            // The image really loads: the browser decoded the uploaded bytes.
            Assert.Equal(1, await receipt.EvaluateAsync<int>("img => img.naturalWidth"));
        });

    private async Task<ProductionUnit> NewFrenchUnitAsync()
    {
        var owner = (await intranet.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only("FR")) { Take = 1 })).Rows[0];
        return await intranet.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "FR", Name = $"Mission 3-en-1 {Guid.NewGuid():N}"[..28], MemberId = owner.Id, Sector = owner.Sector, Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
    }

}
