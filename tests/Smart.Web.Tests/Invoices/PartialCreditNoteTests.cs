using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Budget;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// A credit note for chosen quantities of an issued invoice's lines: evaluated by the rules as those lines, numbered, never more than remains;
/// the invoice owes less, its unit's ledger gives back the credited part's share of what was paid, and money paid beyond what is owed is refunded.
/// </summary>
public class PartialCreditNoteTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();
    private ILedgerStore Ledger => app.Services.GetRequiredService<ILedgerStore>();

    private async Task<ProductionUnit> UnitAsync() =>
        (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<Client> ClientAsync() =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => c.VatNumber is not null);

    /// <summary>An issued Belgian invoice of three service lines (100, 200, 300 excl. VAT), paid in full when <paramref name="paid"/>.</summary>
    private async Task<Invoice> IssuedAsync(Browser staff, bool paid)
    {
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync(), await ClientAsync(), "smartcoop",
            ("Rehearsal", "service", "1", "100"), ("Set design", "service", "2", "100"), ("Lighting", "service", "1", "300"));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
        var issued = (await Invoices.GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, issued.Status);
        if (!paid) return issued;
        Assert.True((await Invoices.RecordPaymentAsync(id, new InvoicePayment(new DateOnly(2026, 3, 20), issued.BalanceDue, "bank"), new AuditActor("test"))).Updated);
        return (await Invoices.GetAsync(id))!;
    }

    private static async Task<HttpResponseMessage> CreditAsync(Browser staff, int id, params (string Name, string Value)[] quantities)
    {
        var form = (await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["credit-lines-form"]!;
        return await staff.SubmitAsync(form, quantities);
    }

    private async Task<decimal> LedgerOfAsync(Invoice invoice, params int[] creditNotes) =>
        (await Ledger.EntriesAsync(invoice.ProductionUnitId)).Where(e => e.SourceKind == LedgerSource.Invoice && e.SourceId == invoice.Id
            || e.SourceKind == LedgerSource.CreditNote && creditNotes.Contains(e.SourceId)).Sum(e => e.Amount);

    [Fact]
    public async Task Crediting_two_of_three_lines_of_a_paid_invoice_leaves_the_third_owed_gives_back_their_share_and_the_overpayment_is_refunded()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: true);
        var shareBefore = await LedgerOfAsync(invoice);
        Assert.Equal(LedgerRules.UnitShare(invoice.Evaluation!), shareBefore);

        var response = await CreditAsync(staff, invoice.Id, ("Credit.Quantities[0]", "1"), ("Credit.Quantities[1]", "2"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = (await Invoices.GetAsync(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture)))!;
        Assert.Equal(invoice.Id, note.CreditNoteForId);
        Assert.StartsWith("BE-CN-", note.Number);
        Assert.Equal([-1m, -2m], note.Lines.Select(l => l.Quantity));
        // Evaluated as an invoice of those lines and negated: 300 excl. VAT at 21 %, and the contribution on it.
        Assert.Equal((-300m, -363m), (note.Evaluation!.Totals.Net, note.Evaluation.Totals.Gross));
        Assert.True(note.Evaluation.Contribution.Amount < 0m);

        var after = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal(InvoiceStatus.Paid, after.Status);
        Assert.Equal(363m, after.Owed);
        Assert.Equal(0m, after.BalanceDue);
        Assert.Equal(363m, after.Overpaid);
        Assert.Equal([0m, 0m, 1m], after.CreditableLines.Select(l => l.Remaining));
        // The unit keeps the share of the third line only: the credit note's entry takes back the two lines' net less their contribution.
        Assert.Equal(LedgerRules.UnitShare(note.Evaluation), await LedgerOfAsync(after, note.Id) - shareBefore);
        Assert.Equal(LedgerRules.UnitShare(invoice.Evaluation!) + LedgerRules.UnitShare(note.Evaluation), await LedgerOfAsync(after, note.Id));

        var page = await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}");
        Assert.Equal(363m, decimal.Parse(page.QuerySelector("#overpaid")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
        Assert.NotNull(page.QuerySelector($"#credits tr[data-credit-note='{note.Id}']"));
        var tooMuch = await staff.SubmitAsync(page.Forms["refund-form"]!, ("Refund.Amount", "400"), ("Refund.Reference", "back"));
        Assert.Equal(HttpStatusCode.OK, tooMuch.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await Browser.DocumentAsync(tooMuch)).QuerySelector("[data-valmsg-for='Refund.Amount']")!.TextContent));

        var refunded = await staff.SubmitAsync(page.Forms["refund-form"]!, ("Refund.Date", "2026-04-01"), ("Refund.Amount", "363"), ("Refund.Reference", "back to client"));
        Assert.Equal(HttpStatusCode.Redirect, refunded.StatusCode);
        var settled = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal((0m, 0m, 363m), (settled.Overpaid, settled.BalanceDue, settled.Paid));
        var shown = await staff.FollowAsync(refunded);
        Assert.Null(shown.QuerySelector("#overpaid"));
        Assert.Equal(363m, decimal.Parse(shown.QuerySelector("#refunds tbody tr")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
        // A refund moves no share: the unit's figure stays what the third line brought.
        Assert.Equal(LedgerRules.UnitShare(invoice.Evaluation!) + LedgerRules.UnitShare(note.Evaluation), await LedgerOfAsync(settled, note.Id));
    }

    [Fact]
    public async Task More_than_remains_to_credit_is_refused_on_the_line_and_nothing_is_credited()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: false);
        Assert.Equal(HttpStatusCode.Redirect, (await CreditAsync(staff, invoice.Id, ("Credit.Quantities[1]", "1"))).StatusCode);

        // One of the two set-design days is credited: a second credit note may take one more, not two.
        var response = await CreditAsync(staff, invoice.Id, ("Credit.Quantities[1]", "2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='Credit.Quantities[1]']")!.TextContent));
        Assert.NotNull(page.QuerySelector("#credit-lines-dialog[open]"));
        var after = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Single(after.Credits);
        Assert.Equal(invoice.Evaluation!.Totals.Gross - 121m, after.BalanceDue);
        Assert.Equal(HttpStatusCode.OK, (await CreditAsync(staff, invoice.Id, ("Credit.Quantities[0]", "0"))).StatusCode);
    }

    [Fact]
    public async Task An_unpaid_invoice_partly_credited_is_paid_with_what_is_left_and_the_whole_credit_note_still_cancels_the_rest()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: false);
        Assert.Equal(HttpStatusCode.Redirect, (await CreditAsync(staff, invoice.Id, ("Credit.Quantities[2]", "1"))).StatusCode);
        var credited = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal(invoice.Evaluation!.Totals.Gross - 363m, credited.BalanceDue);
        // An unpaid invoice gave its unit nothing yet, so the credit note takes nothing back.
        Assert.Equal(0m, await LedgerOfAsync(credited, credited.Credits[0].CreditNoteId));

        Assert.False(credited.CanPay(credited.BalanceDue + 1m));
        Assert.True((await Invoices.RecordPaymentAsync(invoice.Id, new InvoicePayment(new DateOnly(2026, 3, 25), credited.BalanceDue, "bank"), new AuditActor("test"))).Updated);
        var paid = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal(InvoiceStatus.Paid, paid.Status);
        Assert.Equal(LedgerRules.UnitShare(invoice.Evaluation) - credited.Credits[0].UnitShare, await LedgerOfAsync(paid, credited.Credits[0].CreditNoteId));

        var whole = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}")).Forms["credit-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, whole.StatusCode);
        var cancelled = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, cancelled.Status);
        Assert.Equal(2, cancelled.Credits.Count);
        Assert.Equal([1m, 2m], (await Invoices.GetAsync(cancelled.Credits[1].CreditNoteId))!.Lines.Select(l => -l.Quantity));
        // Everything it was paid is now the client's to get back, and the unit keeps nothing of it.
        Assert.Equal(paid.Paid, cancelled.Overpaid);
        Assert.Equal(0m, await LedgerOfAsync(cancelled, cancelled.Credits.Select(c => c.CreditNoteId).ToArray()));
    }

    private static async Task<HttpResponseMessage> CreditAmountAsync(Browser staff, int id, string amount)
    {
        var form = (await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["credit-amount-form"]!;
        return await staff.SubmitAsync(form, ("CreditByAmount.Amount", amount));
    }

    [Fact]
    public async Task An_amount_is_credited_pro_rata_over_the_lines_evaluated_negated_and_the_list_and_print_count_it()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: false);
        Assert.Equal(600m, invoice.CreditableNet);

        var response = await CreditAmountAsync(staff, invoice.Id, "120");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = (await Invoices.GetAsync(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture)))!;
        Assert.Equal(invoice.Id, note.CreditNoteForId);
        // 120 of 600: a fifth of each line (20, 40, 60), evaluated as those lines (VAT 21 %) and negated.
        Assert.Equal([-0.2m, -0.4m, -0.2m], note.Lines.Select(l => l.Quantity));
        Assert.Equal((-120m, -145.20m), (note.Evaluation!.Totals.Net, note.Evaluation.Totals.Gross));
        Assert.True(note.Evaluation.Contribution.Amount < 0m);
        var after = (await Invoices.GetAsync(invoice.Id))!;
        var owed = invoice.Evaluation!.Totals.Gross - 145.20m;
        Assert.Equal((owed, owed, 480m), (after.Owed, after.BalanceDue, after.CreditableNet));

        // The list's total and the printed invoice count the partial credit note.
        var list = await staff.GetPageAsync($"/Invoices?ProductionUnitId={invoice.ProductionUnitId}&ClientId={invoice.ClientId}");
        var row = list.QuerySelector($"tr[data-invoice='{invoice.Id}']")!;
        Assert.Equal(owed, decimal.Parse(row.QuerySelector("[data-field=total]")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
        var print = await staff.GetPageAsync($"/Invoices/Print/{invoice.Id}");
        Assert.Equal(owed, decimal.Parse(print.QuerySelector("#owed")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
        Assert.Equal(-145.20m, decimal.Parse(print.QuerySelector($"[data-credit-amount]")!.GetAttribute("data-credit-amount")!, CultureInfo.InvariantCulture));
        Assert.NotNull(print.QuerySelector($"[data-credit='{note.Number}']"));
    }

    [Fact]
    public async Task An_amount_that_does_not_divide_evenly_credits_exactly_that_net()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: false);

        var response = await CreditAmountAsync(staff, invoice.Id, "100");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var note = (await Invoices.GetAsync(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture)))!;
        Assert.Equal(-100m, note.Evaluation!.Totals.Net);
        Assert.Equal(500m, (await Invoices.GetAsync(invoice.Id))!.CreditableNet);
    }

    [Fact]
    public async Task An_amount_above_what_is_left_to_credit_is_refused_on_the_amount_and_nothing_is_credited()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, paid: false);
        Assert.Equal(HttpStatusCode.Redirect, (await CreditAmountAsync(staff, invoice.Id, "450")).StatusCode);

        foreach (var amount in new[] { "150.01", "0", "-5" })
        {
            var response = await CreditAmountAsync(staff, invoice.Id, amount);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Browser.DocumentAsync(response);
            Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='CreditByAmount.Amount']")!.TextContent));
            Assert.NotNull(page.QuerySelector("#credit-amount-dialog[open]"));
        }
        Assert.Single((await Invoices.GetAsync(invoice.Id))!.Credits);

        // What is left, exactly, credits the rest and cancels the invoice.
        Assert.Equal(HttpStatusCode.Redirect, (await CreditAmountAsync(staff, invoice.Id, "150")).StatusCode);
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, (await Invoices.GetAsync(invoice.Id))!.Status);
    }
}
