using System.Globalization;
using System.Net;
using LiteDB;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Budget;
using Smart.Web.Jobs;
using Smart.Web.Reminders;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Budget;

/// <summary>
/// The 7-day salary guarantee on apps of their own: only these tests' units have guarantee entries, so the report's figures can be held
/// against the ledgers'; and the salary job repeated and run again after a restart.
/// </summary>
public class GuaranteeTests
{
    private static decimal Share(Invoice invoice) => invoice.Evaluation!.Totals.Net - invoice.Evaluation.Contribution.Amount;

    private static decimal Number(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_salary_paid_before_the_client_pays_is_advanced_recovered_from_the_payment_or_borne_on_a_write_off_and_the_report_adds_up()
    {
        using var app = new SmartWebFactory();
        var pages = new LedgerPages(app);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");

        // Recovered: the client pays after the salary.
        var paidLater = await pages.NewUnitAsync("BE", 0m);
        var invoice = await pages.IssuedInvoiceAsync(staff, paidLater, "2026-03-15", "2099-12-31", "1", "1000");
        // The contract may count on the invoice not paid yet: the guarantee will advance it.
        var contract = await pages.ContractAsync(staff, paidLater, 500m);
        var cost = contract.Evaluation!.Employment.Budget;
        await LedgerPages.PaySalaryAsync(staff, contract.Id, "2026-03-06");
        var figures = await LedgerPages.FiguresAsync(staff, paidLater.Id);
        Assert.Equal((-cost, 0m, cost), (figures.Balance, figures.Reserved, figures.Advance));
        Assert.Equal(["ContractReservation", "SalaryPaid", "GuaranteeAdvance"], LedgerPages.Kinds(figures.Page));

        await LedgerPages.PayAsync(staff, invoice.Id, invoice.Evaluation!.Totals.Gross, "2026-04-01");
        figures = await LedgerPages.FiguresAsync(staff, paidLater.Id);
        Assert.Equal((Share(invoice) - cost, 0m), (figures.Balance, figures.Advance));
        Assert.Equal(["ContractReservation", "SalaryPaid", "GuaranteeAdvance", "InvoicePayment", "GuaranteeRecovery"], LedgerPages.Kinds(figures.Page));

        // Written off: the client never pays; after the reminders, staff write the invoice off and the guarantee bears the advance.
        var neverPaid = await pages.NewUnitAsync("BE", 100m);
        var unpaid = await pages.IssuedInvoiceAsync(staff, neverPaid, "2026-01-10", "2026-02-09", "1", "1000");
        var second = await pages.ContractAsync(staff, neverPaid, 600m, start: "2026-01-12");
        var secondCost = second.Evaluation!.Employment.Budget;
        await LedgerPages.PaySalaryAsync(staff, second.Id, "2026-01-16");
        var advance = secondCost - 100m;
        Assert.Equal((100m - secondCost, advance), ((await LedgerPages.FiguresAsync(staff, neverPaid.Id)).Balance, (await LedgerPages.FiguresAsync(staff, neverPaid.Id)).Advance));

        var details = await staff.GetPageAsync($"/Invoices/Details/{unpaid.Id}");
        Assert.NotNull(details.QuerySelector("#write-off"));
        var form = (await staff.GetPageAsync($"/Invoices/WriteOff/{unpaid.Id}")).Forms["write-off-form"]!;
        // Not before a reminder was sent.
        var refused = await Browser.DocumentAsync(await staff.SubmitAsync(form, ("Form.Reason", "client insolvent"), ("Form.Confirmed", "true")));
        Assert.Contains("reminded", refused.QuerySelector(".validation-summary-errors")!.TextContent);
        using (var scope = app.Services.CreateScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SendPaymentReminders.Command(DateOnly.FromDateTime(DateTime.Today)))).Sent > 0);

        form = (await staff.GetPageAsync($"/Invoices/WriteOff/{unpaid.Id}")).Forms["write-off-form"]!;
        Assert.Equal(advance, Number((await staff.GetPageAsync($"/Invoices/WriteOff/{unpaid.Id}")).QuerySelector("[data-field='guarantee-bears']")!.GetAttribute("data-amount")));
        refused = await Browser.DocumentAsync(await staff.SubmitAsync(form, ("Form.Reason", ""), ("Form.Confirmed", "true")));
        Assert.NotEmpty(refused.QuerySelector("[data-valmsg-for='Form.Reason']")!.TextContent.Trim());
        var unconfirmed = await staff.SubmitAsync(form, ("Form.Reason", "client insolvent"), ("Form.Confirmed", "no"));
        Assert.True(unconfirmed.StatusCode == HttpStatusCode.OK, await unconfirmed.Content.ReadAsStringAsync());
        refused = await Browser.DocumentAsync(unconfirmed);
        Assert.True(refused.QuerySelector("[data-valmsg-for='Form.Confirmed']") is not null, refused.QuerySelector("#write-off-form")!.OuterHtml);
        Assert.Contains("confirm", refused.QuerySelector("[data-valmsg-for='Form.Confirmed']")!.TextContent);
        Assert.Equal(InvoiceStatus.Issued, (await pages.Invoices.GetAsync(unpaid.Id))!.Status);
        // A partner administrator does not write off the cooperative's claims.
        using (var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop"))
            Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync($"/Invoices/WriteOff/{unpaid.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(form, ("Form.Reason", "client insolvent"), ("Form.Confirmed", "true"))).StatusCode);
        var writtenOff = (await pages.Invoices.GetAsync(unpaid.Id))!;
        Assert.Equal((InvoiceStatus.WrittenOff, "client insolvent"), (writtenOff.Status, writtenOff.WriteOff!.Reason));
        figures = await LedgerPages.FiguresAsync(staff, neverPaid.Id);
        Assert.Equal((0m, 0m), (figures.Balance, figures.Advance));
        Assert.Equal("GuaranteeWrittenOff", LedgerPages.Kinds(figures.Page)[^1]);

        // The report: the same figures as the ledgers' guarantee entries, by month.
        var entries = (await pages.Ledger.EntriesAsync(paidLater.Id)).Concat(await pages.Ledger.EntriesAsync(neverPaid.Id)).ToList();
        decimal Sum(LedgerEntryKind kind, int? month = null) => Math.Abs(entries.Where(e => e.Kind == kind && (month is null || e.Date.Month == month)).Sum(e => e.Advance));
        var report = await staff.GetPageAsync("/Guarantee?Country=BE");
        var totals = report.QuerySelector("#totals")!;
        Assert.Equal((cost + advance, cost, advance, 0m), (Number(totals.GetAttribute("data-advanced")), Number(totals.GetAttribute("data-recovered")),
            Number(totals.GetAttribute("data-written-off")), Number(totals.GetAttribute("data-outstanding"))));
        Assert.Equal(Sum(LedgerEntryKind.GuaranteeAdvance), Number(totals.GetAttribute("data-advanced")));
        Assert.Equal(Sum(LedgerEntryKind.GuaranteeRecovery), Number(totals.GetAttribute("data-recovered")));
        Assert.Equal(Sum(LedgerEntryKind.GuaranteeWrittenOff), Number(totals.GetAttribute("data-written-off")));
        var january = report.QuerySelector("#months tr[data-month='2026-01']")!;
        Assert.Equal((advance, advance), (Number(january.GetAttribute("data-advanced")), Number(january.GetAttribute("data-outstanding"))));
        var march = report.QuerySelector("#months tr[data-month='2026-03']")!;
        Assert.Equal((cost, advance + cost), (Number(march.GetAttribute("data-advanced")), Number(march.GetAttribute("data-outstanding"))));
        var april = report.QuerySelector("#months tr[data-month='2026-04']")!;
        Assert.Equal((cost, advance), (Number(april.GetAttribute("data-recovered")), Number(april.GetAttribute("data-outstanding"))));
        var csv = await staff.DownloadCsvAsync("/Guarantee?handler=Csv&Country=BE");
        Assert.Equal(report.QuerySelectorAll("#months tbody tr").Length, csv.Rows.Count);
        Assert.Equal(cost + advance, csv.Rows.Sum(r => Number(r["Advanced"])));
    }

    [Fact]
    public async Task The_salary_job_repeated_and_run_again_after_a_restart_pays_a_salary_once_and_a_typed_budget_opens_once()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            int unitId, contractId, legacyId;
            decimal cost;
            using (var first = SmartWebFactory.OnDataDirectory(data))
            {
                var pages = new LedgerPages(first);
                using var staff = await Browser.SignedInAsync(first, "staff@smart.coop");
                var unit = await pages.NewUnitAsync("BE", 100m);
                await pages.IssuedInvoiceAsync(staff, unit, "2026-03-01", "2099-12-31", "1", "1000");
                // Work from 2 to 4 March 2026: done, so the job pays it.
                var contract = await pages.ContractAsync(staff, unit, 400m, start: "2026-03-02");
                (unitId, contractId, cost) = (unit.Id, contract.Id, contract.Evaluation!.Employment.Budget);
                using var scope = first.Services.CreateScope();
                var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
                var today = DateOnly.FromDateTime(DateTime.Today);
                Assert.Equal(1, await mediator.Send(new SalaryGuarantee.PayDueSalaries(today)));
                Assert.Equal(0, await mediator.Send(new SalaryGuarantee.PayDueSalaries(today)));
                Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<SalaryGuarantee.Job>().RunAsync(CancellationToken.None));
                var paid = (await pages.Contracts.GetAsync(contractId))!;
                Assert.Equal(today, paid.SalaryPaidOn);
                Assert.Equal("system:salary-guarantee", (await pages.Ledger.EntriesAsync(unitId)).Single(e => e.Kind == LedgerEntryKind.SalaryPaid).WrittenBy);
            }

            // A unit stored before the ledger: its typed budget, no ledger yet. Written through the one owner of the file, as the app opens
            // it: it waits until the app before has let the file go (a second engine on a file still closing corrupts it).
            using (var file = new LiteDbFile(data))
            {
                var units = file.Database.GetCollection("productionUnits");
                var legacy = units.FindById(unitId);
                legacy.Remove("_id");
                legacy.Remove("LedgerOpened");
                legacy["Name"] = "Legacy unit";
                legacy["AvailableBudget"] = 1234.56m;
                legacyId = units.Max().AsInt32 + 1;
                units.Insert(new BsonValue(legacyId), legacy);
            }

            for (var restart = 0; restart < 2; restart++)
            {
                using var again = SmartWebFactory.OnDataDirectory(data);
                var pages = new LedgerPages(again);
                using (var scope = again.Services.CreateScope())
                    Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SalaryGuarantee.PayDueSalaries(DateOnly.FromDateTime(DateTime.Today))));
                var entries = await pages.Ledger.EntriesAsync(unitId);
                Assert.Equal(["OpeningBalance", "ContractReservation", "SalaryPaid", "GuaranteeAdvance"], entries.Select(e => e.Kind.ToString()));
                var totals = await pages.Ledger.TotalsAsync(unitId);
                Assert.Equal((100m - cost, 0m, cost - 100m), (totals.Balance, totals.Reserved, totals.Advance));

                var legacy = (await again.Services.GetRequiredService<IProductionUnitStore>().GetAsync(legacyId))!;
                var opening = Assert.Single(await pages.Ledger.EntriesAsync(legacy.Id));
                Assert.Equal((LedgerEntryKind.OpeningBalance, 1234.56m, "system:ledger-opening"), (opening.Kind, opening.Amount, opening.WrittenBy));
                Assert.Equal(1234.56m, legacy.AvailableBudget);
                Assert.Equal(0, again.Services.GetRequiredService<LiteDbLedgerStore>().OpenUnits(SalaryGuarantee.Schedule.MigrationActor));
            }
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
