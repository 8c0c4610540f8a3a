using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.BankStatements;
using Smart.Web.Reminders;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Invoices;

/// <summary>The demo documents a first start seeds: every list, the ageing and the reminders have something to show, and a restart adds nothing.</summary>
public class DemoDocumentTests
{
    private static async Task<(int Invoices, int Contracts, int Statements, int Reminders)> CountsAsync(SmartWebFactory app)
    {
        var services = app.Services;
        return ((await services.GetRequiredService<IInvoiceStore>().SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 1 })).Total,
            (await services.GetRequiredService<IContractStore>().SearchAsync(new ContractQuery(CountryScope.All) { Take = 1 })).Total,
            (await services.GetRequiredService<IBankStatementStore>().LatestAsync(CountryScope.All, 100)).Count,
            (await services.GetRequiredService<IReminderStore>().SearchAsync(CountryScope.All, 0, 1000)).Total);
    }

    [Fact]
    public async Task A_first_start_lists_invoices_of_every_status_with_overdue_ones_in_the_ageing_and_reminders_and_a_restart_adds_nothing()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            (int, int, int, int) seeded;
            using (var app = SmartWebFactory.OnDataDirectory(data, SmartWebFactory.DemoDocuments))
            {
                using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
                var list = await staff.GetPageAsync("/Invoices?Country=BE");
                var statuses = list.QuerySelectorAll("tr[data-invoice]").Select(r => r.GetAttribute("data-status")).ToHashSet();
                Assert.Superset(new HashSet<string?> { "Draft", "Issued", "Paid", "PartlyPaid", "Overdue", "CancelledByCreditNote" }, statuses);

                var invoices = app.Services.GetRequiredService<IInvoiceStore>();
                var belgian = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Take = 100 })).Rows;
                Assert.Contains(belgian, i => i.IsCreditNote);
                Assert.Contains(belgian, i => i.Lines.Any(l => l.Category == "author-rights") && i.Status != InvoiceStatus.Draft);
                // Every country with a demo directory has its documents, not only Belgium.
                Assert.All(new[] { "FR", "IT", "NL", "DE", "ES", "SE" }, country =>
                    Assert.True(invoices.SearchAsync(new InvoiceQuery(CountryScope.Only(country)) { Status = InvoiceStatus.Issued, Take = 1 }).Result.Total > 0, country));

                var ageing = (await staff.GetPageAsync("/Invoices/Ageing?Country=BE")).QuerySelector("#totals")!;
                Assert.True(decimal.Parse(ageing.GetAttribute("data-over-90")!, CultureInfo.InvariantCulture) > 0m);
                Assert.True(decimal.Parse(ageing.GetAttribute("data-days-31-60")!, CultureInfo.InvariantCulture) > 0m);
                Assert.NotEmpty((await staff.GetPageAsync("/Invoices/Reminders")).QuerySelectorAll("#reminders tr[data-invoice]"));

                var statement = (await app.Services.GetRequiredService<IBankStatementStore>().LatestAsync(CountryScope.Only("BE"), 10)).Single();
                var lines = await app.Services.GetRequiredService<IBankStatementStore>().LinesAsync(statement.Id);
                var matched = Assert.Single(lines, l => l.Status == StatementLineStatus.Matched);
                Assert.Equal(InvoiceStatus.Paid, (await invoices.GetAsync(matched.InvoiceId!.Value))!.Status);
                Assert.Single(lines, l => l.Status == StatementLineStatus.Waiting);

                Assert.True((await app.Services.GetRequiredService<IContractStore>().SearchAsync(new ContractQuery(CountryScope.Only("BE")) { Take = 1 })).Total >= 2);
                seeded = await CountsAsync(app);
            }

            using var restarted = SmartWebFactory.OnDataDirectory(data, SmartWebFactory.DemoDocuments);
            Assert.Equal(seeded, await CountsAsync(restarted));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
