extern alias volume;

using Microsoft.Extensions.DependencyInjection;
using volume::Smart.Volume;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Volume;

/// <summary>The volume generator (tools/Smart.Volume) on a thousandth of the year: what it writes, the app opens and lists unchanged.</summary>
public sealed class VolumeGeneratorTests
{
    [Fact]
    public async Task A_scaled_down_year_is_evaluated_stored_and_listed_by_the_app_without_demo_data_added()
    {
        var dataDirectory = SmartWebFactory.NewDataDirectory();
        try
        {
            var report = await new VolumeGenerator(new VolumeOptions(dataDirectory, Path.Combine(Repo.Root, "rules"), Path.Combine(Repo.Root, "artifacts", "plugins"))
            {
                Scale = 0.001, Log = _ => { },
            }).GenerateAsync();
            Assert.Equal(0, report.Rejected);
            Assert.InRange(report.Counts["invoices"], 200, 400);
            Assert.InRange(report.Counts["contracts"], 200, 400);
            Assert.True(File.Exists(Path.Combine(dataDirectory, VolumeGenerator.MarkerFileName)));
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                new VolumeGenerator(new VolumeOptions(dataDirectory, Path.Combine(Repo.Root, "rules"), Path.Combine(Repo.Root, "artifacts", "plugins"))).GenerateAsync());

            using var app = SmartWebFactory.OnDataDirectory(dataDirectory);
            using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
            // The demo seeds found a filled store: the members are the generator's only.
            Assert.Equal(report.Counts["members"], (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.All) { Take = 0 })).Total);
            var invoices = await app.Services.GetRequiredService<IInvoiceStore>().SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 1000 });
            Assert.Equal(report.Counts["invoices"], invoices.Total);
            Assert.All(invoices.Rows, invoice => Assert.NotNull(invoice.Evaluation));
            Assert.Contains(invoices.Rows, invoice => invoice.Lines.Any(l => l.Category == "training") && invoice.Issuer == "formateurs-associes");
            Assert.Contains(invoices.Rows, invoice => invoice.Evaluation!.AuthorRights is { Amount: > 0 });
            // Author-rights lines say their kind of work (from the engine's list); some performances and trainings are given abroad.
            var lines = invoices.Rows.SelectMany(invoice => invoice.Lines.Select(line => (invoice.Country, Line: line))).ToList();
            Assert.All(lines.Where(l => l.Line.Category == "author-rights"), l => Assert.Contains(l.Line.WorkKind!, Smart.Rules.Evaluation.WorkKinds.All));
            Assert.All(lines.Where(l => l.Line.Category != "author-rights"), l => Assert.Null(l.Line.WorkKind));
            Assert.Contains(lines, l => l.Line.Category is "artistic-performance" or "training" && l.Line.PerformedIn is { } place && place != l.Country);
            Assert.Contains(invoices.Rows, invoice => invoice.Status == InvoiceStatus.Draft);
            Assert.Contains(invoices.Rows, invoice => invoice.StatusOn(DateOnly.FromDateTime(DateTime.Today)) == InvoiceStatus.Overdue);

            var list = await browser.GetPageAsync("/Invoices?Country=BE&Status=Paid");
            Assert.Equal(50, list.QuerySelectorAll("#invoices tbody tr").Length);
            var detail = await browser.GetPageAsync($"/Invoices/Details/{invoices.Rows[0].Id}");
            Assert.Contains(invoices.Rows[0].Number ?? "", detail.Body!.TextContent, StringComparison.Ordinal);

            // The ledgers of the year: every unit opened by the generator (the app's start-up opens none), its listed budget its ledger's.
            Assert.True(report.Counts["ledger entries"] > report.Counts["contracts"], "a hold and a salary per confirmed contract, a payment per paid invoice");
            Assert.Equal(0, app.Services.GetRequiredService<Smart.Web.Budget.LiteDbLedgerStore>().OpenUnits(AuditActor.System("test")));
            var ledger = app.Services.GetRequiredService<Smart.Web.Budget.ILedgerStore>();
            var units = (await app.Services.GetRequiredService<IProductionUnitStore>().SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE"))
            { Sort = ProductionUnitSort.AvailableBudget, Take = 30 })).Rows;
            foreach (var unit in units) Assert.Equal((await ledger.TotalsAsync(unit.Id)).Available, unit.AvailableBudget);
            var entries = await ledger.EntriesAsync(units[0].Id);
            Assert.Contains(entries, e => e.Kind == Smart.Web.Budget.LedgerEntryKind.SalaryPaid);
            Assert.Equal(entries.Count, (await browser.GetPageAsync($"/ProductionUnits/Ledger/{units[0].Id}")).QuerySelectorAll("#entries tbody tr").Length);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(dataDirectory);
        }
    }
}
