using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// Issue 15: the invoice list's Total column shows each invoice's total after its credit notes (nothing once a whole credit note
/// cancelled it) and sorts by exactly that, on LiteDB's in-memory rows and on PostgreSQL alike (SMART_TEST_STORAGE=PostgreSql).
/// </summary>
public class InvoiceListTotalTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    [Fact]
    public async Task The_total_column_shows_the_amount_after_credit_notes_and_sorts_by_it()
    {
        var owner = (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        var unit = await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "BE", Name = $"List totals {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector, OpeningBalance = 10_000m,
            Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => c.VatNumber is not null);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");

        // Three issued invoices of one gross (600 excl. VAT): one left alone, one credited for two of its three lines, one cancelled whole.
        async Task<int> IssuedAsync()
        {
            var id = await InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop",
                ("Rehearsal", "service", "1", "100"), ("Set design", "service", "2", "100"), ("Lighting", "service", "1", "300"));
            Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
            return id;
        }
        var untouched = await IssuedAsync();
        var partly = await IssuedAsync();
        var cancelled = await IssuedAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{partly}")).Forms["credit-lines-form"]!,
            ("Credit.Quantities[0]", "1"), ("Credit.Quantities[1]", "2"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{cancelled}")).Forms["credit-form"]!)).StatusCode);
        var gross = (await Invoices.GetAsync(untouched))!.Evaluation!.Totals.Gross;
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, (await Invoices.GetAsync(cancelled))!.Status);

        var list = await staff.GetPageAsync(FormattableString.Invariant($"/Invoices?ProductionUnitId={unit.Id}"));
        var byTotal = await staff.GetPageAsync(list.QuerySelector("th a[data-sort='Total']")!.GetAttribute("href")!);
        var again = await staff.GetPageAsync(byTotal.QuerySelector("th a[data-sort='Total']")!.GetAttribute("href")!);
        // The header's two clicks: one order and its reverse.
        var (first, second) = (Shown(byTotal), Shown(again));
        Assert.Equal(first.Keys.Reverse(), second.Keys);
        var ascending = first.Values.First() <= first.Values.Last() ? first : second;
        Assert.Equal(gross, ascending[untouched]);
        Assert.Equal(gross - 363m, ascending[partly]);
        Assert.Equal(0m, ascending[cancelled]);
        // In the order of the amounts shown: the two credit notes (negative), then the cancelled, the partly credited and the untouched invoice.
        Assert.True(ascending.Count == 5, string.Join("; ", ascending.Select(r => $"{r.Key}: {r.Value}")));
        Assert.Equal(ascending.Values.Order(), ascending.Values);
        Assert.Equal([cancelled, partly, untouched], ascending.Keys.Skip(2));
    }

    /// <summary>The rows in page order: each invoice's id and the amount its Total column shows.</summary>
    private static Dictionary<int, decimal> Shown(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("tr[data-invoice]").ToDictionary(
            tr => int.Parse(tr.GetAttribute("data-invoice")!, CultureInfo.InvariantCulture),
            tr => decimal.Parse(tr.QuerySelector("[data-field=total]")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
}
