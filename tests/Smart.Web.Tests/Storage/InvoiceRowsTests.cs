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

    /// <summary>
    /// The rows hold a number as its sequence, year and place, and a number of another shape whole: sorting by number gives LiteDB's order
    /// (no number first, text without regard to case) for both, after a restart too; a draft written or moved to another date takes its
    /// place in date order at once.
    /// </summary>
    [Fact]
    public async Task Numbers_of_any_shape_sort_as_texts_and_written_rows_take_their_place_by_date()
    {
        using var store = new TemporaryStore();
        string?[] numbers = ["BE-2026-000010", "BE-CN-2026-000001", "be-2026-000002", "FR-2025-000100", "BE-2026-1234567", "BE-2026-00012", "X/2026-77",
            null, "BE-2026-000009", "IT-26-000001"];
        var first = new DateOnly(2026, 2, 1);
        var generated = numbers.Select((number, i) => new Invoice
        {
            Country = "BE", Issuer = "smartcoop", ProductionUnitId = 1, ClientId = 1, Date = first.AddDays(i % 4), Number = number,
            Status = number is null ? InvoiceStatus.Draft : InvoiceStatus.Issued,
        }).ToList();
        var fresh = new LiteDbInvoiceStore(store.Database, store.Audit, TimeProvider.System, new LiteDbLedgerStore(store.Database, TimeProvider.System));
        var ids = fresh.ImportMany(generated);
        var byNumber = new InvoiceQuery(CountryScope.All) { Sort = InvoiceSort.Number, Take = 100 };
        var expected = ids.Zip(numbers, (id, number) => (Id: id, Number: number)).Order(Comparer<(int Id, string? Number)>.Create((a, b) =>
            StringComparer.InvariantCultureIgnoreCase.Compare(a.Number, b.Number) is var n && n != 0 ? n : a.Id.CompareTo(b.Id))).ToList();

        Assert.Equal(expected.Select(e => e.Id), (await fresh.SearchAsync(byNumber)).Rows.Select(i => i.Id));
        Assert.Equal(expected.Select(e => e.Number), (await fresh.SearchAsync(byNumber)).Rows.Select(i => i.Number));
        Assert.Equal(expected.Select(e => e.Id).Reverse(), (await fresh.SearchAsync(byNumber with { Descending = true })).Rows.Select(i => i.Id));

        // Written after the rows are loaded: a draft before every invoice, then moved after them.
        var draft = await fresh.AddDraftAsync(new Invoice { Country = "BE", Issuer = "smartcoop", ProductionUnitId = 1, ClientId = 1, Date = first.AddDays(-1) },
            TemporaryStore.Adviser);
        var byDate = new InvoiceQuery(CountryScope.All) { Take = 100 };
        Assert.Equal([draft.Id, .. ids.Zip(generated).OrderBy(p => p.Second.Date).ThenBy(p => p.First).Select(p => p.First)],
            (await fresh.SearchAsync(byDate)).Rows.Select(i => i.Id));
        // No number: first, with the imported draft (ties by id).
        Assert.Equal([ids[7], draft.Id], (await fresh.SearchAsync(byNumber)).Rows.Take(2).Select(i => i.Id));
        var moved = await fresh.UpdateDraftAsync(draft with { Date = first.AddDays(30) }, draft.Version, TemporaryStore.Adviser);
        Assert.True(moved.Updated);
        Assert.Equal(draft.Id, (await fresh.SearchAsync(byDate)).Rows[^1].Id);
        Assert.Equal(ids.Count + 1, (await fresh.SearchAsync(byDate)).Total);
        var afterWrites = (await fresh.SearchAsync(byNumber)).Rows.Select(i => i.Id).ToList();
        store.File.Dispose();

        using var reopened = new LiteDbFile(store.DataDirectory);
        var invoices = new LiteDbInvoiceStore(reopened.Database, new Smart.Web.Storage.Audit.LiteDbAuditLog(reopened.Database), TimeProvider.System,
            new LiteDbLedgerStore(reopened.Database, TimeProvider.System));
        Assert.Equal(afterWrites, (await invoices.SearchAsync(byNumber)).Rows.Select(i => i.Id));
    }

    /// <summary>
    /// A unit's invoices are read from that unit's rows only (kept by unit for the rows of the moment): each unit lists exactly its own, in
    /// date order or by total, with the query's other filters; a draft written, or moved to another unit, is in its new unit's list at once
    /// and out of its old one.
    /// </summary>
    [Fact]
    public async Task A_units_invoices_are_its_own_in_order_and_follow_a_draft_moved_to_another_unit()
    {
        using var store = new TemporaryStore();
        var first = new DateOnly(2026, 1, 1);
        var generated = Enumerable.Range(0, 600).Select(i => new Invoice
        {
            Country = i % 5 == 0 ? "FR" : "BE", Issuer = "smartcoop", ProductionUnitId = 1 + i % 7, ClientId = 1, Date = first.AddDays(i * 37 % 300),
            Lines = [new InvoiceLineItem($"Work {i}", "service", 1, 100 + i % 13)],
        }).ToList();
        var invoices = new LiteDbInvoiceStore(store.Database, store.Audit, TimeProvider.System, new LiteDbLedgerStore(store.Database, TimeProvider.System));
        var ids = invoices.ImportMany(generated);
        var rows = ids.Zip(generated, (id, invoice) => (Id: id, Invoice: invoice)).ToList();

        async Task<List<int>> ListedAsync(InvoiceQuery query) => [.. (await invoices.SearchAsync(query with { Take = 1000 })).Rows.Select(i => i.Id)];
        for (var unit = 1; unit <= 8; unit++)
        {
            var own = rows.Where(r => r.Invoice.ProductionUnitId == unit).OrderBy(r => r.Invoice.Date).ThenBy(r => r.Id).Select(r => r.Id).ToList();
            Assert.Equal(own, await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = unit }));
            Assert.Equal(rows.Where(r => r.Invoice.ProductionUnitId == unit && r.Invoice.Country == "FR").OrderBy(r => r.Invoice.Date).ThenBy(r => r.Id)
                .Select(r => r.Id), await ListedAsync(new InvoiceQuery(CountryScope.Only("FR")) { ProductionUnitId = unit }));
            Assert.Equal(own.Count, (await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = unit, Sort = InvoiceSort.Total })).Count);
        }
        Assert.Empty(await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = 8 }));

        // A draft of unit 8, first of its unit; then moved to unit 3, where it takes its place by date.
        var draft = await invoices.AddDraftAsync(new Invoice { Country = "BE", Issuer = "smartcoop", ProductionUnitId = 8, ClientId = 1, Date = first.AddDays(100) },
            TemporaryStore.Adviser);
        Assert.Equal([draft.Id], await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = 8 }));
        var moved = await invoices.UpdateDraftAsync(draft with { ProductionUnitId = 3 }, draft.Version, TemporaryStore.Adviser);
        Assert.True(moved.Updated);
        Assert.Empty(await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = 8 }));
        var third = rows.Where(r => r.Invoice.ProductionUnitId == 3).Select(r => (r.Id, r.Invoice.Date)).Append((draft.Id, draft.Date))
            .OrderBy(r => r.Date).ThenBy(r => r.Id).Select(r => r.Id);
        Assert.Equal(third, await ListedAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = 3 }));
    }
}
