using System.Globalization;
using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Plugins;
using Smart.Web.BankStatements;
using Smart.Web.Budget;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Tests.Budget;

namespace Smart.Web.Tests.BankStatements;

/// <summary>Importing bank statements through the page: payments matched to invoices, nothing twice, the rest waiting for a person.</summary>
public class BankStatementTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Account = "BE68539007547034";
    private static readonly DateOnly Day = new(2026, 11, 30);

    private LedgerPages Ledgers => new(app);
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    /// <summary>The payment reference printed on an issued invoice: the Belgian structured communication of its number.</summary>
    private string ReferenceOf(Invoice invoice) =>
        app.Services.GetRequiredService<PluginCatalog>().Find(invoice.Country)!.Plugin.PaymentReference(PrintModel.ReferenceBase(invoice.Number)!.Value);

    private static async Task<HttpResponseMessage> ImportAsync(Browser browser, byte[] file, string country = "BE", string name = "statement.cod") =>
        await ImportAsync(browser, (await browser.GetPageAsync("/BankStatements")).Forms["import-form"]!, file, country, name);

    private static Task<HttpResponseMessage> ImportAsync(Browser browser, IHtmlFormElement form, byte[] file, string country, string name = "statement.cod") =>
        browser.SubmitWithFilesAsync(form, null, new Dictionary<string, (string, byte[])> { ["Data.File"] = (name, file) }, ("Data.Country", country));

    private static string[] Statuses(IHtmlDocument page) => [.. page.QuerySelectorAll("#lines tbody tr").Select(r => r.GetAttribute("data-status")!)];

    [Fact]
    public async Task A_CODA_statement_pays_invoices_by_reference_and_number_and_importing_it_again_pays_nothing_twice()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledgers.NewUnitAsync("BE", 0m);
        var byReference = await Ledgers.IssuedInvoiceAsync(staff, unit, "2026-11-02", "2026-12-02", "1", "1000");
        var byNumber = await Ledgers.IssuedInvoiceAsync(staff, unit, "2026-11-03", "2026-12-03", "2", "100");
        var entriesBefore = (await Ledgers.Ledger.EntriesAsync(unit.Id)).Count;
        var coda = new CodaWriter(Account, Day)
            .Received(byReference.BalanceDue - 10m, structured: ReferenceOf(byReference), name: "Client one")
            .Received(byNumber.BalanceDue, free: $"paiement facture {byNumber.Number} merci", name: "Client two")
            .Received(12.34m, free: "no idea", name: "Somebody")
            .PaidOut(40m, "Bank costs");

        var page = await staff.FollowAsync(await ImportAsync(staff, coda.Bytes()));

        Assert.Equal(["Matched", "Matched", "Waiting", "Outgoing"], Statuses(page));
        Assert.Equal([byReference.Number, byNumber.Number], page.QuerySelectorAll("#lines tbody tr[data-status='Matched']").Select(r => r.GetAttribute("data-invoice")));
        var partly = (await Invoices.GetAsync(byReference.Id))!;
        Assert.Equal(InvoiceStatus.PartlyPaid, partly.Status);
        Assert.Equal(10m, partly.BalanceDue);
        Assert.Equal(InvoiceStatus.Paid, (await Invoices.GetAsync(byNumber.Id))!.Status);
        // A payment from a statement moves the unit's budget as one typed in does: one entry per payment.
        Assert.Equal(entriesBefore + 2, (await Ledgers.Ledger.EntriesAsync(unit.Id)).Count);

        page = await staff.FollowAsync(await ImportAsync(staff, coda.Bytes()));
        Assert.Empty(Statuses(page));
        Assert.Equal("4", page.QuerySelector("#already-imported")!.TextContent.Trim());
        Assert.Single((await Invoices.GetAsync(byReference.Id))!.Payments);
        Assert.Single((await Invoices.GetAsync(byNumber.Id))!.Payments);
        Assert.Equal(entriesBefore + 2, (await Ledgers.Ledger.EntriesAsync(unit.Id)).Count);
    }

    [Fact]
    public async Task A_payment_waiting_for_a_person_is_recorded_on_the_invoice_they_name_or_dismissed_with_a_reason()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledgers.NewUnitAsync("BE", 0m);
        var invoice = await Ledgers.IssuedInvoiceAsync(staff, unit, "2026-11-04", "2026-12-04", "1", "300");
        var token = Guid.NewGuid().ToString("N")[..10];
        await staff.FollowAsync(await ImportAsync(staff, new CodaWriter(Account, Day)
            .Received(invoice.BalanceDue + 1m, free: $"too much {token}").Received(invoice.BalanceDue, free: $"right {token}").Received(5m, free: $"grant {token}").Bytes()));
        var waiting = await staff.GetPageAsync("/BankStatements/Waiting");
        IHtmlFormElement Form(string text, string kind) => (IHtmlFormElement)waiting.QuerySelectorAll("#waiting tbody tr")
            .Single(r => r.TextContent.Contains(text, StringComparison.Ordinal)).QuerySelector($"form.{kind}")!;

        // More than the balance due is refused on the invoice number, and nothing is paid.
        var refused = await staff.SubmitAsync(Form($"too much {token}", "assign"), ("Data.InvoiceNumber", invoice.Number!));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("more than the invoice", (await Browser.DocumentAsync(refused)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Empty((await Invoices.GetAsync(invoice.Id))!.Payments);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(Form($"right {token}", "assign"), ("Data.InvoiceNumber", invoice.Number!.ToLowerInvariant()))).StatusCode);
        Assert.Equal(InvoiceStatus.Paid, (await Invoices.GetAsync(invoice.Id))!.Status);

        var noReason = await staff.SubmitAsync(Form($"grant {token}", "dismiss"));
        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        Assert.Contains("Say why", (await Browser.DocumentAsync(noReason)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(Form($"grant {token}", "dismiss"), ("Data.Reason", "Regional grant"))).StatusCode);

        var after = await staff.GetPageAsync("/BankStatements/Waiting");
        Assert.Single(after.QuerySelectorAll("#waiting tbody tr"), r => r.TextContent.Contains(token, StringComparison.Ordinal));
        var lines = await app.Services.GetRequiredService<IBankStatementStore>().LinesAsync(
            (await app.Services.GetRequiredService<IBankStatementStore>().LatestAsync(CountryScope.Only("BE"), 1))[0].Id);
        Assert.Equal([StatementLineStatus.Waiting, StatementLineStatus.Matched, StatementLineStatus.Dismissed], lines.Select(l => l.Status));
        Assert.Equal(MatchRule.Person, lines[1].MatchedBy);
        Assert.Equal("Regional grant", lines[2].Note);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_refused_on_the_file_field_and_nothing_is_stored()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var store = app.Services.GetRequiredService<IBankStatementStore>();
        var before = (await store.LatestAsync(CountryScope.All, 1000)).Count;

        var garbage = await ImportAsync(staff, Encoding.UTF8.GetBytes("Date;Amount\n2026-11-30;12.00\n"), name: "export.csv");
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Contains("neither a CODA", (await Browser.DocumentAsync(garbage)).QuerySelector("[data-valmsg-for='Data.File']")!.TextContent);

        var cut = await ImportAsync(staff, new CodaWriter(Account, Day).Received(10m, free: "a").Received(20m, free: "b").Bytes(trailerCredit: 10m));
        Assert.Contains("trailer", (await Browser.DocumentAsync(cut)).QuerySelector("[data-valmsg-for='Data.File']")!.TextContent);

        // A Swedish statement in euros is not Sweden's money.
        var currency = await ImportAsync(staff, new CodaWriter(Account, Day).Received(10m, free: "a").Bytes(), country: "SE");
        Assert.Contains("SEK", (await Browser.DocumentAsync(currency)).QuerySelector("[data-valmsg-for='Data.File']")!.TextContent);

        Assert.Equal(before, (await store.LatestAsync(CountryScope.All, 1000)).Count);
    }

    [Fact]
    public async Task A_partner_neither_imports_for_nor_sees_another_country_s_statements()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var token = Guid.NewGuid().ToString("N")[..10];
        var imported = await ImportAsync(staff, new CodaWriter(Account, Day).Received(7m, free: $"belgian {token}").Bytes());
        var statementUrl = imported.Headers.Location!.OriginalString;

        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync(statementUrl)).StatusCode);
        Assert.DoesNotContain(token, (await partner.GetPageAsync("/BankStatements/Waiting")).Body!.TextContent);
        var form = (await partner.GetPageAsync("/BankStatements")).Forms["import-form"]!;
        Assert.DoesNotContain("BE", form.QuerySelectorAll("select[name='Data.Country'] option").Select(o => o.GetAttribute("value")));
        // A forger adds the country the page does not offer.
        var select = (IHtmlSelectElement)form.QuerySelector("select[name='Data.Country']")!;
        var belgium = (IHtmlOptionElement)form.Owner!.CreateElement("option");
        belgium.Value = "BE";
        select.AppendChild(belgium);
        var forged = await ImportAsync(partner, form, new CodaWriter(Account, Day).Received(7m, free: "x").Bytes(), "BE");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task The_ageing_puts_each_balance_due_in_its_lateness_band_and_adds_up_to_the_open_invoices()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledgers.NewUnitAsync("BE", 0m);
        // Due long ago (over 90 days late whatever today is after 2026) and due far ahead.
        var late = await Ledgers.IssuedInvoiceAsync(staff, unit, "2026-01-05", "2026-02-04", "1", "100");
        var notDue = await Ledgers.IssuedInvoiceAsync(staff, unit, "2026-01-06", "2099-12-31", "1", "200");

        var page = await staff.GetPageAsync("/Invoices/Ageing?Country=BE");
        var row = page.QuerySelector($"#ageing tbody tr[data-member='{unit.MemberId}']")!;
        Assert.NotNull(row);

        // The totals agree with the invoice list's own count of what is open (a different path through the store).
        var open = new List<Invoice>();
        // The list's status filter says overdue for an issued or partly paid invoice past its due date.
        foreach (var status in new[] { InvoiceStatus.Issued, InvoiceStatus.PartlyPaid, InvoiceStatus.Overdue })
            for (var skip = 0; ; skip += 1000)
            {
                var found = await Invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Status = status, Skip = skip, Take = 1000 });
                open.AddRange(found.Rows.Where(i => !i.IsCreditNote));
                if (found.Rows.Count < 1000) break;
            }
        var totals = page.QuerySelector("#totals")!;
        Assert.Equal(open.Sum(i => i.BalanceDue), decimal.Parse(totals.GetAttribute("data-total")!, CultureInfo.InvariantCulture));
        Assert.True(decimal.Parse(totals.GetAttribute("data-over-90")!, CultureInfo.InvariantCulture) >= late.BalanceDue);
        Assert.True(decimal.Parse(totals.GetAttribute("data-not-due")!, CultureInfo.InvariantCulture) >= notDue.BalanceDue);

        var csv = await staff.Client.GetStringAsync("/Invoices/Ageing?handler=Csv&Country=BE");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("MemberId,Member,NotDue,Days1To30,Days31To60,Days61To90,Over90,Total", lines[0].Trim());
        Assert.Equal(open.Sum(i => i.BalanceDue), lines.Skip(1).Sum(l => decimal.Parse(l.Trim().Split(',')[^1], CultureInfo.InvariantCulture)));
    }
}
