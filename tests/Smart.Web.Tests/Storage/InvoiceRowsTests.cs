using Smart.Web.Budget;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Storage;

/// <summary>The invoice list's rows in memory, loaded from the file a range of ids at a time.</summary>
public class InvoiceRowsTests
{
    /// <summary>
    /// A store opened on a file of more invoices than one range (2,000) lists every one once, those at the ranges' edges included:
    /// totals by country and by date as the documents hold them, and the pages in date order.
    /// </summary>
    [Fact]
    public async Task Rows_loaded_in_ranges_of_ids_list_every_invoice_once()
    {
        using var store = new TemporaryStore();
        var first = new DateOnly(2026, 1, 1);
        var generated = Enumerable.Range(0, 4_100).Select(i => new Invoice
        {
            Country = i % 3 == 0 ? "FR" : "BE", Issuer = "smartcoop", ProductionUnitId = 1, ClientId = 1, Date = first.AddDays(i % 300),
        }).ToList();
        var fresh = new LiteDbInvoiceStore(store.Database, store.Audit, TimeProvider.System, new LiteDbLedgerStore(store.Database, TimeProvider.System));
        Assert.False(await fresh.AnyAsync());
        var ids = fresh.ImportMany(generated);
        Assert.True(await fresh.AnyAsync());
        Assert.Contains(4_001, ids);
        store.File.Dispose();

        using var reopened = new LiteDbFile(store.DataDirectory);
        var invoices = new LiteDbInvoiceStore(reopened.Database, new Smart.Web.Storage.Audit.LiteDbAuditLog(reopened.Database), TimeProvider.System,
            new LiteDbLedgerStore(reopened.Database, TimeProvider.System));
        var all = new InvoiceQuery(CountryScope.All) { Take = 1000 };
        Assert.Equal(4_100, (await invoices.SearchAsync(all)).Total);
        Assert.Equal(generated.Count(i => i.Country == "FR"), (await invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("FR")) { Take = 0 })).Total);
        var march = all with { From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 31) };
        Assert.Equal(generated.Count(i => i.Date.Month == 3), (await invoices.SearchAsync(march)).Total);

        var listed = new List<int>();
        for (var skip = 0; skip < 4_100; skip += 1000) listed.AddRange((await invoices.SearchAsync(all with { Skip = skip })).Rows.Select(i => i.Id));
        Assert.Equal(ids.Order(), listed.Order());
        var byDate = ids.Zip(generated).OrderBy(p => p.Second.Date).ThenBy(p => p.First).Select(p => p.First);
        Assert.Equal(byDate, listed);
    }
}
