using Smart.Rules.Evaluation;

namespace Smart.Rules.Tests;

/// <summary>What an evaluation means beyond its fields: when two are the same evaluation, and a credit note's evaluation of an invoice.</summary>
public sealed class EvaluationMeaningTests
{
    /// <summary>A Belgian invoice with a service line and author rights, for a member with an attestation: every part of the result is filled.</summary>
    private static readonly InvoiceDocument Document = Invoices.Belgian(member: new MemberInfo { AuthorRightsYearToDate = 1000m, HasArtistAttestation = true }) with
    {
        Lines =
        [
            new InvoiceLine { Description = "Design", Category = "service", Quantity = 2, UnitPrice = 450m },
            new InvoiceLine { Description = "Illustration rights", Category = "author-rights", Quantity = 1, UnitPrice = 1000m },
        ],
    };

    private static InvoiceEvaluation Evaluated(bool explain = true) => Repo.Evaluator.EvaluateInvoice(Document, explain).Value!;

    [Fact]
    public void The_trace_rule_names_and_rule_set_versions_do_not_make_another_evaluation()
    {
        var explained = Evaluated();
        var quick = Evaluated(explain: false);
        Assert.NotEmpty(explained.Trace);
        Assert.Empty(quick.Trace);

        Assert.True(explained.Same(quick));
        Assert.True(explained.Same(quick with
        {
            Rulesets = [],
            Unconfirmed = [],
            Lines = quick.Lines.Select(l => l with { Rule = "renamed" }).ToList(),
            // Equal decimals written with another scale, as a store may give them back.
            Totals = new Totals(quick.Totals.Net * 1.00m, quick.Totals.Vat, quick.Totals.Gross),
        }));
    }

    [Fact]
    public void Late_payment_terms_not_asked_for_are_left_out_and_change_no_amount()
    {
        var asked = Evaluated();
        var notAsked = Repo.Evaluator.EvaluateInvoice(Document, latePayment: false).Value!;

        Assert.NotNull(asked.LatePayment);
        Assert.Null(notAsked.LatePayment);
        Assert.Contains(asked.Rulesets, r => r.Id == "be/late-payment");
        Assert.DoesNotContain(notAsked.Rulesets, r => r.Id == "be/late-payment");
        Assert.Contains(asked.Trace, t => t.Ruleset == "be/late-payment");
        Assert.DoesNotContain(notAsked.Trace, t => t.Ruleset == "be/late-payment");
        Assert.Equal((asked.Totals, asked.Contribution, asked.AuthorRights), (notAsked.Totals, notAsked.Contribution, notAsked.AuthorRights));
        Assert.Equal(asked.Lines, notAsked.Lines);
        Assert.Equal(asked.VatBreakdown, notAsked.VatBreakdown);
        // The terms are part of the evaluation: one stored with them is not the same as one without.
        Assert.False(asked.Same(notAsked));
    }

    [Fact]
    public void A_changed_figure_code_mention_or_term_is_another_evaluation()
    {
        var e = Evaluated();
        Assert.False(e.Same(e with { Totals = e.Totals with { Vat = e.Totals.Vat + 0.01m } }));
        Assert.False(e.Same(e with { Lines = [e.Lines[0] with { VatCategory = "Z" }, .. e.Lines.Skip(1)] }));
        Assert.False(e.Same(e with { Mentions = [.. e.Mentions, "another mention"] }));
        Assert.False(e.Same(e with { StampDuty = new StampDutyResult(2m, 100m) }));
        Assert.NotNull(e.AuthorRights);
        Assert.False(e.Same(e with { AuthorRights = e.AuthorRights! with { AboveShareCap = e.AuthorRights.AboveShareCap + 1m } }));
        Assert.NotNull(e.LatePayment);
        Assert.False(e.Same(e with { LatePayment = e.LatePayment! with { ReminderDays = [.. e.LatePayment.ReminderDays, 90] } }));
        Assert.True(e.Same(e with { LatePayment = e.LatePayment! with { ReminderDays = [.. e.LatePayment.ReminderDays] } }));
    }

    [Fact]
    public void A_credit_note_cancels_the_invoice_to_the_cent_with_its_rates_and_mentions_kept()
    {
        var invoice = Evaluated();
        var note = invoice.Negated();

        Assert.Equal(0m, invoice.Totals.Gross + note.Totals.Gross);
        Assert.Equal(0m, invoice.Totals.Vat + note.Totals.Vat);
        Assert.Equal(0m, invoice.Contribution.Amount + note.Contribution.Amount);
        Assert.Equal(invoice.Contribution.Rate, note.Contribution.Rate);
        Assert.Equal(invoice.Lines.Select(l => (l.VatRate, l.VatTreatment, -l.Net)), note.Lines.Select(l => (l.VatRate, l.VatTreatment, l.Net)));
        Assert.Equal(invoice.VatBreakdown.Sum(r => r.Base), -note.VatBreakdown.Sum(r => r.Base));
        Assert.Equal(-invoice.AuthorRights!.Amount, note.AuthorRights!.Amount);
        Assert.Equal(-invoice.AuthorRights.Withholding, note.AuthorRights.Withholding);
        Assert.Equal(invoice.Mentions, note.Mentions);
        Assert.False(invoice.Same(note));
        Assert.True(invoice.Same(note.Negated()));
    }
}
