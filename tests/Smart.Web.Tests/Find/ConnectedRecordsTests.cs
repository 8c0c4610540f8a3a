using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Tests.Invoices;

namespace Smart.Web.Tests.Find;

/// <summary>
/// Issue 15, item 2: a member's, a unit's and a client's pages list their invoices (with what is left to pay) and contracts, and start a
/// new invoice or contract from where the user is; the invoice list shows each balance due.
/// </summary>
public class ConnectedRecordsTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private static string Text(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);
    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh Belgian unit (so the lists hold only this test's documents), with an issued invoice partly paid and a draft contract.</summary>
    private async Task<(ProductionUnit Unit, Member Member, Client Client, Invoice Invoice, int ContractId)> UnitWithDocumentsAsync(Browser staff)
    {
        var belgium = CountryScope.Only("BE");
        var member = (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(belgium) { Take = 1 })).Rows[0];
        var unit = await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "BE", Name = $"Connected {Guid.NewGuid():N}", MemberId = member.Id, Sector = member.Sector, OpeningBalance = 5000m,
            Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
        // A client of its own, so its page lists only this test's invoice.
        var client = await app.Services.GetRequiredService<IClientStore>().AddAsync(new Client
        {
            Country = "BE", Kind = ClientKind.Individual, Name = $"Connected client {Guid.NewGuid():N}", City = "Namur",
        }, new AuditActor("test"));

        var id = await InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop", ("Workshop", "service", "2", "250"));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["payment-form"]!,
            ("Payment.Date", "2026-03-20"), ("Payment.Amount", "100"), ("Payment.Reference", "statement 7"))).StatusCode);
        var invoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!;
        Assert.Equal(InvoiceStatus.PartlyPaid, invoice.Status);

        var contractForm = (await staff.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        var created = await staff.SubmitAsync(contractForm, ("Data.JobCategory", "employee"), ("Data.StartDate", "2026-03-02"), ("Data.EndDate", ""),
            ("Data.Days", "3"), ("Data.Hours", "24"), ("Data.Budget", "1000"), ("Data.Status", "Draft"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var contractId = int.Parse(created.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        return (unit, member, client, invoice, contractId);
    }

    private static void AssertListsInvoice(IHtmlDocument page, Invoice invoice)
    {
        var row = page.QuerySelector($"#connected-invoice-rows tr[data-invoice='{invoice.Id}']");
        Assert.True(row is not null, $"invoice {invoice.Number} is listed");
        Assert.Equal(Text(invoice.BalanceDue), row!.GetAttribute("data-balance"));
        Assert.Equal(invoice.Evaluation!.Totals.Gross - 100m, invoice.BalanceDue);
        Assert.Equal($"/Invoices/Details/{invoice.Id}", row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Unit_page_lists_its_invoices_with_balance_due_its_contracts_its_ledger_balance_and_starts_new_ones_from_the_unit()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (unit, _, _, invoice, contractId) = await UnitWithDocumentsAsync(staff);

        var page = await staff.GetPageAsync($"/ProductionUnits/Details/{unit.Id}");
        AssertListsInvoice(page, invoice);
        Assert.Single(page.QuerySelectorAll("#connected-invoice-rows tbody tr"));
        Assert.NotNull(page.QuerySelector($"#connected-contract-rows tr[data-contract='{contractId}']"));
        var totals = await app.Services.GetRequiredService<Smart.Web.Budget.ILedgerStore>().TotalsAsync(unit.Id);
        Assert.Equal(Text(totals.Balance), page.QuerySelector("[data-field='ledger-balance']")!.GetAttribute("data-amount"));
        Assert.Equal($"/Invoices/Create?unit={unit.Id}", page.QuerySelector("#new-invoice")!.GetAttribute("href"));
        Assert.Equal($"/Contracts/Create?unitId={unit.Id}", page.QuerySelector("#new-contract")!.GetAttribute("href"));

        // The links open forms already set to this unit.
        var invoiceForm = await staff.GetPageAsync(page.QuerySelector("#new-invoice")!.GetAttribute("href")!);
        Assert.Equal(Text(unit.Id), invoiceForm.QuerySelector<IHtmlInputElement>("#invoice-form [name='Data.ProductionUnitId']")!.Value);
        var contractForm = await staff.GetPageAsync(page.QuerySelector("#new-contract")!.GetAttribute("href")!);
        Assert.Equal(Text(unit.Id), contractForm.QuerySelector<IHtmlInputElement>("#contract-form [name='Data.ProductionUnitId']")!.Value);
    }

    [Fact]
    public async Task Member_page_lists_the_invoices_and_contracts_of_their_units_and_a_new_invoice_per_unit()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (unit, member, _, invoice, contractId) = await UnitWithDocumentsAsync(staff);

        var page = await staff.GetPageAsync($"/Members/Details/{member.Id}");
        AssertListsInvoice(page, invoice);
        Assert.NotNull(page.QuerySelector($"#connected-contract-rows tr[data-contract='{contractId}']"));
        Assert.Equal($"/Invoices/Create?unit={unit.Id}", page.QuerySelector($"[data-new-invoice='{unit.Id}']")!.GetAttribute("href"));
        Assert.Equal($"/Contracts/Create?unitId={unit.Id}", page.QuerySelector($"[data-new-contract='{unit.Id}']")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Client_page_lists_its_invoices_and_a_new_invoice_from_it_keeps_the_client_through_the_choice_of_unit()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (unit, _, client, invoice, _) = await UnitWithDocumentsAsync(staff);

        var page = await staff.GetPageAsync($"/Clients/Details/{client.Id}");
        AssertListsInvoice(page, invoice);
        Assert.Null(page.QuerySelector("#connected-contracts"));
        var start = page.QuerySelector("#new-invoice")!.GetAttribute("href")!;
        Assert.Equal($"/Invoices/Create?client={client.Id}", start);

        var chooseUnit = (await staff.GetPageAsync(start)).Forms["choose-unit"]!;
        Assert.Equal(Text(client.Id), chooseUnit.QuerySelector<IHtmlInputElement>("input[name='client']")!.Value);
        var document = await Browser.DocumentAsync(await staff.SubmitAsync(chooseUnit, ("unit", Text(unit.Id))));
        Assert.Equal(Text(client.Id), document.QuerySelector<IHtmlSelectElement>("#invoice-form [name='Data.ClientId']")!.Value);
    }

    [Fact]
    public async Task Invoice_list_shows_the_balance_due_of_each_invoice()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (unit, _, _, invoice, _) = await UnitWithDocumentsAsync(staff);

        var list = await staff.GetPageAsync($"/Invoices?ProductionUnitId={unit.Id}");
        var cell = list.QuerySelector($"#invoices tr[data-invoice='{invoice.Id}'] [data-field='balance-due']");
        Assert.Equal(Text(invoice.BalanceDue), cell!.GetAttribute("data-amount"));
        Assert.NotEqual(0m, invoice.BalanceDue);
    }

    [Fact]
    public async Task Partner_administrator_of_France_cannot_start_an_invoice_with_a_Belgian_client()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (_, _, client, _, _) = await UnitWithDocumentsAsync(staff);
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var page = await partner.GetPageAsync($"/Invoices/Create?client={client.Id}");
        Assert.Null(page.QuerySelector("#choose-unit input[name='client']"));
    }
}
