using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Budget;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Budget;

/// <summary>What the ledger tests do as a person would: a fresh unit, invoices and contracts through their forms, the ledger page read back.</summary>
public sealed class LedgerPages(WebApplicationFactory<Program> app)
{
    public IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();
    public IContractStore Contracts => app.Services.GetRequiredService<IContractStore>();
    public ILedgerStore Ledger => app.Services.GetRequiredService<ILedgerStore>();

    /// <summary>An amount as typed in a form of the app's default culture (en-BE: 1.234,56).</summary>
    public static string Text(decimal value) => value.ToString(CultureInfo.GetCultureInfo("en-BE"));

    /// <summary>A fresh unit with a known opening balance, so tests sharing the app never move each other's budget.</summary>
    public async Task<ProductionUnit> NewUnitAsync(string country, decimal opening)
    {
        var members = app.Services.GetRequiredService<IMemberStore>();
        var owner = (await members.SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1 })).Rows[0];
        return await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = country, Name = $"Ledger test {country} {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector,
            OpeningBalance = opening, Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
    }

    /// <summary>A draft through the invoice form, issued through the details page; returns the issued invoice with its stored evaluation.</summary>
    public async Task<Invoice> IssuedInvoiceAsync(Browser browser, ProductionUnit unit, string date, string dueDate, string quantity, string unitPrice)
    {
        var clients = app.Services.GetRequiredService<IClientStore>();
        var client = (await clients.SearchAsync(new ClientQuery(CountryScope.Only(unit.Country)) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var response = await browser.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", date), ("Data.DueDate", dueDate),
            ("Data.Lines[0].Description", "Design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].Quantity", quantity), ("Data.Lines[0].UnitPrice", unitPrice));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        response = await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var issued = (await Invoices.GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, issued.Status);
        return issued;
    }

    public static async Task PayAsync(Browser browser, int invoiceId, decimal amount, string date = "2026-04-01")
    {
        var response = await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{invoiceId}")).Forms["payment-form"]!,
            ("Payment.Date", date), ("Payment.Amount", Text(amount)), ("Payment.Reference", "bank statement"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>A contract through the create form (3 days from <paramref name="start"/>); returns it as stored, with its evaluation.</summary>
    public async Task<Contract> ContractAsync(Browser browser, ProductionUnit unit, decimal budget, string status = "Confirmed", string start = "2026-03-02")
    {
        var form = (await browser.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        var response = await browser.SubmitAsync(form, ("Data.JobCategory", "employee"), ("Data.StartDate", start), ("Data.EndDate", ""),
            ("Data.Days", "3"), ("Data.Hours", "24"), ("Data.Budget", Text(budget)), ("Data.Status", status));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        return (await Contracts.GetAsync(id))!;
    }

    public static async Task PaySalaryAsync(Browser browser, int contractId, string paidOn = "2026-03-06")
    {
        var response = await browser.SubmitAsync((await browser.GetPageAsync($"/Contracts/Details/{contractId}")).Forms["salary-form"]!, ("paidOn", paidOn));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>The ledger page's figures: balance, held, available, guarantee advance.</summary>
    public static async Task<(decimal Balance, decimal Reserved, decimal Available, decimal Advance, IHtmlDocument Page)> FiguresAsync(Browser browser, int unitId)
    {
        var page = await browser.GetPageAsync($"/ProductionUnits/Ledger/{unitId}");
        decimal Field(string name) => decimal.Parse(page.QuerySelector($"#totals [data-field='{name}']")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture);
        return (Field("balance"), Field("reserved"), Field("available"), Field("advance"), page);
    }

    /// <summary>The kinds of the ledger page's rows, in order.</summary>
    public static IReadOnlyList<string> Kinds(IHtmlDocument page) => page.QuerySelectorAll("#entries tbody tr").Select(r => r.GetAttribute("data-kind")!).ToList();
}
