using System.Globalization;
using System.Net;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Budget;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Budget;

/// <summary>
/// The unit's budget ledger through the real app: each event moves the balance by what the document's stored evaluation says (the
/// rule files decide those figures; the tests read them back from the evaluation, never retype them).
/// </summary>
public class LedgerTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private readonly LedgerPages pages = new(app);

    private static decimal Share(Invoice invoice) => invoice.Evaluation!.Totals.Net - invoice.Evaluation.Contribution.Amount;

    [Fact]
    public async Task A_partial_then_a_full_payment_add_the_invoices_net_less_contribution_pro_rata_then_in_full()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 0m);
        var invoice = await pages.IssuedInvoiceAsync(staff, unit, "2026-03-15", "2099-12-31", "1", "1000");
        var gross = invoice.Evaluation!.Totals.Gross;
        var share = Share(invoice);
        Assert.True(invoice.Evaluation.Contribution.Amount > 0m, "the Belgian contribution rule set takes a share of the net");
        Assert.Equal(0m, (await LedgerPages.FiguresAsync(staff, unit.Id)).Balance);

        await LedgerPages.PayAsync(staff, invoice.Id, 210m);
        var partial = Math.Round(share * 210m / gross, 2, MidpointRounding.AwayFromZero);
        var figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal((partial, 0m, partial), (figures.Balance, figures.Reserved, figures.Available));

        await LedgerPages.PayAsync(staff, invoice.Id, gross - 210m);
        figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal(share, figures.Balance);
        Assert.Equal(["InvoicePayment", "InvoicePayment"], LedgerPages.Kinds(figures.Page));
        Assert.Equal([partial, share - partial], figures.Page.QuerySelectorAll("#entries tbody tr").Select(r => decimal.Parse(r.GetAttribute("data-amount")!, CultureInfo.InvariantCulture)));
        // The document link goes to the invoice, by its number.
        Assert.Equal(invoice.Number, figures.Page.QuerySelector("#entries tbody tr a")!.TextContent.Trim());
        // The unit's page and list read the same computed figure.
        var details = await staff.GetPageAsync($"/ProductionUnits/Details/{unit.Id}");
        Assert.Equal(share, decimal.Parse(details.QuerySelector("[data-field='budget']")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_credit_note_takes_back_what_the_payments_of_the_credited_invoice_added()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 100m);
        var invoice = await pages.IssuedInvoiceAsync(staff, unit, "2026-03-15", "2099-12-31", "2", "450");
        await LedgerPages.PayAsync(staff, invoice.Id, 500m);
        var added = (await LedgerPages.FiguresAsync(staff, unit.Id)).Balance - 100m;
        Assert.Equal(Math.Round(Share(invoice) * 500m / invoice.Evaluation!.Totals.Gross, 2, MidpointRounding.AwayFromZero), added);

        var response = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}")).Forms["credit-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal(100m, figures.Balance);
        Assert.Equal(["OpeningBalance", "InvoicePayment", "CreditNote"], LedgerPages.Kinds(figures.Page));
    }

    [Fact]
    public async Task A_confirmed_contract_holds_its_employment_budget_and_its_paid_salary_spends_it_and_releases_the_hold()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 5000m);
        var contract = await pages.ContractAsync(staff, unit, 1200m);
        var cost = contract.Evaluation!.Employment.Budget;
        Assert.Equal(cost, contract.Evaluation.Employment.GrossSalary + contract.Evaluation.Employment.EmployerContributions + contract.Evaluation.Employment.MutualisedContribution);

        var figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal((5000m, cost, 5000m - cost), (figures.Balance, figures.Reserved, figures.Available));
        // The contract check counts the hold: a second contract over what is left is refused.
        var form = (await staff.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        var refused = await staff.SubmitAsync(form, ("Data.JobCategory", "employee"), ("Data.StartDate", "2026-03-02"), ("Data.Days", "3"), ("Data.Hours", "24"),
            ("Data.Budget", LedgerPages.Text(5000m - cost + 1m)), ("Data.Status", "Draft"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotNull((await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.Budget']")!.TextContent);

        await LedgerPages.PaySalaryAsync(staff, contract.Id);
        figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal((5000m - cost, 0m, 5000m - cost, 0m), (figures.Balance, figures.Reserved, figures.Available, figures.Advance));
        Assert.Equal(["OpeningBalance", "ContractReservation", "SalaryPaid"], LedgerPages.Kinds(figures.Page));
        Assert.Equal(new DateOnly(2026, 3, 6), (await pages.Contracts.GetAsync(contract.Id))!.SalaryPaidOn);
        // Paid, the contract no longer changes.
        Assert.Null((await staff.GetPageAsync($"/Contracts/Details/{contract.Id}")).QuerySelector("#salary-form"));
    }

    [Fact]
    public async Task Cancelling_a_confirmed_contract_releases_what_it_held()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("FR", 3000m);
        var contract = await pages.ContractAsync(staff, unit, 1000m);
        Assert.Equal(contract.Evaluation!.Employment.Budget, (await LedgerPages.FiguresAsync(staff, unit.Id)).Reserved);

        var form = (await staff.GetPageAsync($"/Contracts/Edit/{contract.Id}")).Forms["contract-form"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(form, ("Data.Status", "Cancelled"))).StatusCode);
        var figures = await LedgerPages.FiguresAsync(staff, unit.Id);
        Assert.Equal((3000m, 0m), (figures.Balance, figures.Reserved));
        Assert.Equal(["OpeningBalance", "ContractReservation", "ReservationRelease"], LedgerPages.Kinds(figures.Page));
    }

    [Fact]
    public async Task An_adjustment_needs_a_reason_named_on_its_field_and_the_same_form_sent_twice_writes_once()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 0m);
        var form = (await staff.GetPageAsync($"/ProductionUnits/Ledger/{unit.Id}")).Forms["adjustment-form"]!;

        var refused = await staff.SubmitAsync(form, ("Adjustment.Amount", "250"), ("Adjustment.Reason", ""));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Browser.DocumentAsync(refused);
        Assert.Contains("Reason", page.QuerySelector("[data-valmsg-for='Adjustment.Reason']")!.TextContent);
        refused = await staff.SubmitAsync(form, ("Adjustment.Amount", "abc"), ("Adjustment.Reason", "typo"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEmpty((await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Adjustment.Amount']")!.TextContent.Trim());
        Assert.Empty(await pages.Ledger.EntriesAsync(unit.Id));

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(form, ("Adjustment.Amount", "250,50"), ("Adjustment.Reason", "grant received in cash"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(form, ("Adjustment.Amount", "250,50"), ("Adjustment.Reason", "grant received in cash"))).StatusCode);
        var entry = Assert.Single(await pages.Ledger.EntriesAsync(unit.Id));
        Assert.Equal((LedgerEntryKind.Adjustment, 250.50m, "grant received in cash", "staff@smart.coop"), (entry.Kind, entry.Amount, entry.Reason, entry.WrittenBy));
    }

    [Fact]
    public async Task The_ledger_CSV_has_one_row_per_entry_with_the_running_balance()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 1000m);
        await pages.ContractAsync(staff, unit, 400m);
        var csv = await staff.DownloadCsvAsync($"/ProductionUnits/Ledger/{unit.Id}?handler=Csv");
        Assert.Equal(Smart.Web.Pages.ProductionUnits.LedgerModel.Columns, csv.Header);
        Assert.Equal(["OpeningBalance", "ContractReservation"], csv.Rows.Select(r => r["Kind"]));
        var totals = await pages.Ledger.TotalsAsync(unit.Id);
        Assert.Equal((totals.Balance, totals.Available), (decimal.Parse(csv.Rows[^1]["Balance"]!, CultureInfo.InvariantCulture), decimal.Parse(csv.Rows[^1]["Available"]!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_partner_of_France_gets_404_on_a_Belgian_units_ledger_and_its_CSV_and_403_on_the_Belgian_guarantee_report()
    {
        var unit = await pages.NewUnitAsync("BE", 500m);
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        foreach (var url in new[] { $"/ProductionUnits/Ledger/{unit.Id}", $"/ProductionUnits/Ledger/{unit.Id}?handler=Csv" })
        {
            var response = await partner.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, url);
            Assert.DoesNotContain(unit.Name, await response.Content.ReadAsStringAsync());
        }
        var french = await pages.NewUnitAsync("FR", 500m);
        var form = (await partner.GetPageAsync($"/ProductionUnits/Ledger/{french.Id}")).Forms["adjustment-form"]!;
        form.Action = $"/ProductionUnits/Ledger/{unit.Id}?handler=Adjust";
        Assert.Equal(HttpStatusCode.NotFound, (await partner.SubmitAsync(form, ("Adjustment.Amount", "1000"), ("Adjustment.Reason", "not mine"))).StatusCode);
        Assert.Equal(500m, (await pages.Ledger.TotalsAsync(unit.Id)).Balance);

        Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync("/Guarantee?Country=BE")).StatusCode);
        Assert.Equal("FR", (await partner.GetPageAsync("/Guarantee")).QuerySelector("#months")!.GetAttribute("data-country"));
        using var compliance = await Browser.SignedInAsync(app, "compliance@smart.coop");
        Assert.Equal(HttpStatusCode.Forbidden, (await compliance.Client.GetAsync($"/ProductionUnits/Ledger/{unit.Id}")).StatusCode);
    }

    [Fact]
    public async Task Replaying_an_events_entries_writes_nothing_the_key_is_unique()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await pages.NewUnitAsync("BE", 0m);
        var invoice = await pages.IssuedInvoiceAsync(staff, unit, "2026-03-15", "2099-12-31", "1", "800");
        await LedgerPages.PayAsync(staff, invoice.Id, 100m);
        var entries = await pages.Ledger.EntriesAsync(unit.Id);

        Assert.Equal(0, await pages.Ledger.AppendAsync(entries.Select(e => e with { Id = 0 }).ToList()));
        // The same payment's entry, as a repeated job would write it, is refused by the key even past the store's own check.
        if (SmartWebFactory.RunsOnPostgreSql)
        {
            var database = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
            await using var copy = database.CreateCommand(
                "insert into ledger_entries (key, production_unit_id, country, kind, source, date, amount, reserved, advance, document) " +
                "select key, production_unit_id, country, kind, source, date, amount, reserved, advance, document from ledger_entries where key = $1");
            copy.Parameters.Add(new Npgsql.NpgsqlParameter { Value = entries[0].Key });
            Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, (await Assert.ThrowsAsync<Npgsql.PostgresException>(() => copy.ExecuteNonQueryAsync())).SqlState);
        }
        else
        {
            var store = app.Services.GetRequiredService<LiteDB.LiteDatabase>().GetCollection(LiteDbLedgerStore.CollectionName);
            var copy = store.FindOne(LiteDB.Query.EQ("Key", entries[0].Key));
            copy["_id"] = LiteDB.ObjectId.NewObjectId();
            Assert.Throws<LiteDB.LiteException>(() => store.Insert(copy));
        }
        Assert.Equal(entries.Count, (await pages.Ledger.EntriesAsync(unit.Id)).Count);
    }
}
