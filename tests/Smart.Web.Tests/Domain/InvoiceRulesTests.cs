using Smart.Rules.Evaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Domain;

/// <summary>The invoice's own rules, without a store: what the stores apply inside their transactions and the pages show.</summary>
public class InvoiceRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static InvoiceEvaluation Evaluation(decimal gross) => new()
    {
        Country = "BE", Currency = "EUR", Date = new DateOnly(2026, 5, 1), Issuer = "smartcoop", Lines = [], Totals = new Totals(gross / 1.21m, gross - gross / 1.21m, gross),
        VatBreakdown = [], Contribution = new ContributionResult(0.065m, gross / 1.21m, 0m), Mentions = [], Rulesets = [], Trace = [], Unconfirmed = [],
    };

    private static Invoice Issued(decimal gross = 1210m, DateOnly? due = null) => new()
    {
        Id = 7, Country = "BE", Issuer = "smartcoop", Date = new DateOnly(2026, 5, 1), DueDate = due ?? new DateOnly(2026, 6, 1), Status = InvoiceStatus.Issued,
        Number = "BE-2026-000007", Evaluation = Evaluation(gross), Version = 2,
        Lines = [new InvoiceLineItem("Concert", "performance", 2m, 500m)],
    };

    [Fact]
    public void An_issued_invoice_is_overdue_from_the_day_after_its_due_date()
    {
        var invoice = Issued(due: Today);
        Assert.Equal(InvoiceStatus.Issued, invoice.StatusOn(Today));
        Assert.False(invoice.IsOverdueOn(Today));
        Assert.Equal(InvoiceStatus.Overdue, invoice.StatusOn(Today.AddDays(1)));
        Assert.True(invoice.IsOverdueOn(Today.AddDays(1)));
        Assert.Equal(3, invoice.DaysLateOn(Today.AddDays(3)));
        Assert.Equal(0, invoice.DaysLateOn(Today.AddDays(-3)));
    }

    [Theory]
    [InlineData(InvoiceStatus.Paid)]
    [InlineData(InvoiceStatus.Draft)]
    [InlineData(InvoiceStatus.CancelledByCreditNote)]
    [InlineData(InvoiceStatus.WrittenOff)]
    public void Only_an_invoice_awaiting_payment_falls_overdue(InvoiceStatus status)
    {
        var invoice = Issued() with { Status = status };
        Assert.Equal(status, invoice.StatusOn(Today));
        Assert.False(invoice.IsOverdueOn(Today));
    }

    [Fact]
    public void A_credit_note_is_never_overdue_nor_owed()
    {
        var note = Issued() with { CreditNoteForId = 3 };
        Assert.Equal(InvoiceStatus.Issued, note.StatusOn(Today));
        Assert.Equal(0m, note.BalanceDue);
        Assert.False(note.CanPay(1m));
        Assert.False(note.CanBeCredited);
        Assert.False(note.CanBeWrittenOff);
    }

    [Fact]
    public void A_list_row_and_the_invoice_agree_on_overdue()
    {
        foreach (var status in Enum.GetValues<InvoiceStatus>().Where(s => s != InvoiceStatus.Overdue))
            foreach (var creditNote in new[] { false, true })
                foreach (var due in new DateOnly?[] { null, Today.AddDays(-1), Today, Today.AddDays(1) })
                {
                    var invoice = Issued() with { Status = status, CreditNoteForId = creditNote ? 1 : null, DueDate = due };
                    Assert.Equal(invoice.StatusOn(Today), Invoice.StatusOn(status, creditNote, due, Today));
                }
    }

    [Fact]
    public void Overdue_with_nothing_left_to_pay_is_not_chased()
    {
        var zero = Issued(gross: 0m);
        Assert.Equal(InvoiceStatus.Overdue, zero.StatusOn(Today));
        Assert.False(zero.IsOverdueOn(Today));
    }

    [Fact]
    public void Only_the_draft_at_the_version_seen_can_be_issued()
    {
        var draft = Issued() with { Status = InvoiceStatus.Draft, Number = null, Version = 4 };
        Assert.True(draft.CanBeIssued(4));
        Assert.False(draft.CanBeIssued(3));
        Assert.False(Issued().CanBeIssued(2));
        var issued = draft.Issue("BE-2026-000042", Evaluation(500m));
        Assert.Equal((InvoiceStatus.Issued, "BE-2026-000042", 500m), (issued.Status, issued.Number, issued.Evaluation!.Totals.Gross));
    }

    [Fact]
    public void A_payment_must_be_above_zero_and_within_the_balance_due()
    {
        var invoice = Issued(gross: 1210m);
        Assert.False(invoice.CanPay(0m));
        Assert.False(invoice.CanPay(-5m));
        Assert.False(invoice.CanPay(1210.01m));
        Assert.True(invoice.CanPay(1210m));

        var part = invoice.Pay(new InvoicePayment(Today, 210m, "first"));
        Assert.Equal((InvoiceStatus.PartlyPaid, 1000m), (part.Status, part.BalanceDue));
        Assert.False(part.CanPay(1000.01m));
        var paid = part.Pay(new InvoicePayment(Today, 1000m, "rest"));
        Assert.Equal((InvoiceStatus.Paid, 0m, 2), (paid.Status, paid.BalanceDue, paid.Payments.Count));
        Assert.False(paid.CanPay(0.01m));
    }

    [Theory]
    [InlineData(InvoiceStatus.Issued, true)]
    [InlineData(InvoiceStatus.PartlyPaid, true)]
    [InlineData(InvoiceStatus.Paid, true)]
    [InlineData(InvoiceStatus.Draft, false)]
    [InlineData(InvoiceStatus.CancelledByCreditNote, false)]
    [InlineData(InvoiceStatus.WrittenOff, false)]
    public void Which_invoices_may_be_credited(InvoiceStatus status, bool credited)
    {
        Assert.Equal(credited, (Issued() with { Status = status }).CanBeCredited);
        Assert.False((Issued() with { Status = status, CreditedById = 9 }).CanBeCredited);
    }

    [Fact]
    public void A_credit_note_negates_the_lines_points_at_its_original_and_cancels_it()
    {
        var original = Issued().Pay(new InvoicePayment(Today, 10m, "part"));
        var note = original.CreditNote(Today, "BE-CN-2026-000001", Evaluation(-1210m));
        Assert.Equal((0, 1, 7, InvoiceStatus.Issued, "BE-CN-2026-000001"), (note.Id, note.Version, note.CreditNoteForId, note.Status, note.Number));
        Assert.Equal((Today, (DateOnly?)null), (note.Date, note.DueDate));
        Assert.Empty(note.Payments);
        Assert.Equal(-2m, note.Lines.Single().Quantity);
        var cancelled = original.CancelledBy(12);
        Assert.Equal((InvoiceStatus.CancelledByCreditNote, (int?)12), (cancelled.Status, cancelled.CreditedById));
        Assert.False(cancelled.CanBeCredited);
    }

    [Fact]
    public void Written_off_only_when_overdue_and_reminded()
    {
        var invoice = Issued(due: Today.AddDays(-10));
        Assert.True(invoice.CanBeWrittenOff);
        Assert.False(invoice.CanBeWrittenOffOn(Today, remindersSent: 0));
        Assert.True(invoice.CanBeWrittenOffOn(Today, remindersSent: 1));
        Assert.False(invoice.CanBeWrittenOffOn(Today.AddDays(-20), remindersSent: 1));
        var writtenOff = invoice.WrittenOff(new InvoiceWriteOff(Today, "insolvent", "staff@smart.coop"));
        Assert.Equal(InvoiceStatus.WrittenOff, writtenOff.Status);
        Assert.False(writtenOff.CanBeWrittenOff);
        Assert.False((invoice with { Status = InvoiceStatus.Paid }).CanBeWrittenOff);
    }
}
