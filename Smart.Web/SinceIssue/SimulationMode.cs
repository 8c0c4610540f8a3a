using Smart.Web.Simulations;

namespace Smart.Web.SinceIssue;

/// <summary>What an impact simulation compares.</summary>
public enum SimulationMode
{
    /// <summary>A draft rule set against the book in force, over every document of the period.</summary>
    Draft,
    /// <summary>
    /// Issued documents' stored evaluations (made with the rules as known when they were issued) against the book as known now: what a late
    /// publication changed for documents already issued.
    /// </summary>
    SinceIssue,
}

/// <summary>
/// One member's affected documents of one year in a since-issue comparison: what was applied (the stored evaluations) and what is due with
/// the rules as known now, author rights (withholding, lump sum), VAT and contribution.
/// </summary>
public sealed record MemberYearTotals(int MemberId, string Member, int Year, int Documents, decimal WithholdingApplied, decimal WithholdingDue,
    decimal LumpSumApplied, decimal LumpSumDue, decimal VatApplied, decimal VatDue, decimal ContributionApplied, decimal ContributionDue)
{
    public decimal WithholdingDifference => WithholdingDue - WithholdingApplied;
    public decimal LumpSumDifference => LumpSumDue - LumpSumApplied;
    public decimal VatDifference => VatDue - VatApplied;
    public decimal ContributionDifference => ContributionDue - ContributionApplied;

    /// <summary>These totals with one more affected document.</summary>
    public MemberYearTotals Add(DocumentFigures applied, DocumentFigures due) => this with
    {
        Documents = Documents + 1,
        WithholdingApplied = WithholdingApplied + applied.Withholding,
        WithholdingDue = WithholdingDue + due.Withholding,
        LumpSumApplied = LumpSumApplied + applied.LumpSum,
        LumpSumDue = LumpSumDue + due.LumpSum,
        VatApplied = VatApplied + applied.Vat,
        VatDue = VatDue + due.Vat,
        ContributionApplied = ContributionApplied + applied.Contribution,
        ContributionDue = ContributionDue + due.Contribution,
    };
}
