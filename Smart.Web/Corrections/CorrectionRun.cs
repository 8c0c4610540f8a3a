using Smart.Web.Simulations;

namespace Smart.Web.Corrections;

public enum CorrectionStatus
{
    /// <summary>Proposed by a compliance officer, waiting for an approver.</summary>
    Proposed,
    /// <summary>Refused by an approver: nothing runs.</summary>
    Rejected,
    /// <summary>Accepted by an approver, queued.</summary>
    Approved,
    /// <summary>Re-running the since-issue comparison of the period.</summary>
    Comparing,
    /// <summary>Writing the statements and issuing the corrective documents.</summary>
    Correcting,
    Done,
    Failed,
}

/// <summary>
/// A correction run over issued documents (issue 17, item 3): proposed for a country and a period of issue dates, from a since-issue comparison
/// (whose rule-set version and publication it keeps), accepted or rejected by an approver who is not its proposer. Once accepted its job
/// compares the period again (<see cref="ComparisonId"/>), then writes a regularisation statement per affected member and year and, for an
/// invoice whose VAT, contribution or gross differs, a credit note and a new invoice. What it made is in the store keyed by run, so the
/// counters here are progress only: a restart finds what was made and makes the rest.
/// </summary>
public sealed record CorrectionRun
{
    public int Id { get; init; }
    /// <summary>Upper-case country code.</summary>
    public required string Country { get; init; }
    /// <summary>Issue dates from this day on.</summary>
    public DateOnly From { get; init; }
    /// <summary>Issue dates up to this day included.</summary>
    public DateOnly To { get; init; }
    /// <summary>The since-issue comparison it was proposed from.</summary>
    public int SourceSimulationId { get; init; }
    /// <summary>The published version whose late figures it corrects.</summary>
    public int VersionId { get; init; }
    public required string Key { get; init; }
    public int VersionNumber { get; init; }
    /// <summary>The version's publication: evaluations made before it are compared.</summary>
    public DateTime? KnownBefore { get; init; }
    public required string Reason { get; init; }
    public required string ProposedBy { get; init; }
    public DateTime ProposedAtUtc { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTime? ReviewedAtUtc { get; init; }
    /// <summary>Why an approver refused it.</summary>
    public string? ReviewNote { get; init; }
    public CorrectionStatus Status { get; init; } = CorrectionStatus.Proposed;
    /// <summary>The comparison the job ran again over the period, once accepted.</summary>
    public int? ComparisonId { get; init; }
    public int ComparisonPercent { get; init; }
    public DateTime? StartedAtUtc { get; init; }
    public DateTime? FinishedAtUtc { get; init; }
    public string? Currency { get; init; }
    /// <summary>Member-years with a difference: one statement each.</summary>
    public int MemberYears { get; init; }
    public int Statements { get; init; }
    /// <summary>Invoices whose VAT, contribution or gross differs: a credit note and a new invoice each.</summary>
    public int Invoices { get; init; }
    public int Corrected { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    public string? FailureReason { get; init; }

    public bool IsFinished => Status is CorrectionStatus.Done or CorrectionStatus.Failed or CorrectionStatus.Rejected;

    /// <summary>The job's progress: the comparison is the first half, the statements and documents the second.</summary>
    public int Percent => Status switch
    {
        CorrectionStatus.Done => 100,
        CorrectionStatus.Comparing => ComparisonPercent / 2,
        CorrectionStatus.Correcting => 50 + (MemberYears + Invoices == 0 ? 0 : Math.Min(49, (Statements + Corrected) * 50 / (MemberYears + Invoices))),
        _ => 0,
    };
}

/// <summary>One rule-set version an evaluation used, with its publication.</summary>
public sealed record StatementVersion(string Id, string Version, int? StoreVersion, DateTime? Published);

/// <summary>One invoice of a statement: its figures as issued (applied) and as due with the rules as known now.</summary>
public sealed record StatementLine(int InvoiceId, string? Number, DateOnly Date, bool IsCreditNote, DocumentFigures Applied, DocumentFigures Due,
    IReadOnlyList<StatementVersion> AppliedVersions, IReadOnlyList<StatementVersion> DueVersions, DateTime? KnownOn)
{
    public decimal WithholdingDifference => Due.Withholding - Applied.Withholding;
    public decimal LumpSumDifference => Due.LumpSum - Applied.LumpSum;
    public decimal VatDifference => Due.Vat - Applied.Vat;
    public decimal GrossDifference => Due.Gross - Applied.Gross;

    /// <summary>The rule sets whose version differs between the two sides (all of them when none differs, as for an evaluation that named none).</summary>
    public IReadOnlyList<string> ChangedRuleSets
    {
        get
        {
            var changed = AppliedVersions.Where(a => DueVersions.Any(d => d.Id == a.Id && d.StoreVersion != a.StoreVersion)).Select(a => a.Id).ToList();
            return changed.Count > 0 ? changed : [.. AppliedVersions.Select(a => a.Id)];
        }
    }

    public IEnumerable<StatementVersion> AppliedChanged => AppliedVersions.Where(v => ChangedRuleSets.Contains(v.Id));

    public IEnumerable<StatementVersion> DueChanged => DueVersions.Where(v => ChangedRuleSets.Contains(v.Id));
}

/// <summary>A legal source the statement cites, as the rule file gives it (its rule set, title, article, address).</summary>
public sealed record StatementCitation(string RuleSet, string Title, string? Article, string? Url)
{
    public override string ToString() => string.Join(", ", new[] { Title, Article, Url }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>
/// A member's regularisation statement of one year, written once per (run, member, year): what each affected invoice withheld and deducted as a
/// lump sum with the rules as known when it was issued, what is due with the rules as known now, the differences, the versions on both sides,
/// the law the rule files cite, in the member's language.
/// </summary>
public sealed record RegularisationStatement
{
    public int RunId { get; init; }
    public int MemberId { get; init; }
    public required string Member { get; init; }
    public int Year { get; init; }
    public required string Country { get; init; }
    /// <summary>fr, nl or en.</summary>
    public required string Language { get; init; }
    public required string Currency { get; init; }
    public DateTime WrittenAtUtc { get; init; }
    public IReadOnlyList<StatementLine> Lines { get; init; } = [];
    public IReadOnlyList<StatementCitation> Citations { get; init; } = [];

    public decimal WithholdingApplied => Lines.Sum(l => l.Applied.Withholding);
    public decimal WithholdingDue => Lines.Sum(l => l.Due.Withholding);
    public decimal WithholdingDifference => WithholdingDue - WithholdingApplied;
    public decimal LumpSumApplied => Lines.Sum(l => l.Applied.LumpSum);
    public decimal LumpSumDue => Lines.Sum(l => l.Due.LumpSum);
    public decimal LumpSumDifference => LumpSumDue - LumpSumApplied;
}

public enum CorrectionStage
{
    /// <summary>Written before the credit note is asked for: a restart that finds the original cancelled knows the run did it.</summary>
    Crediting,
    /// <summary>The credit note is issued; the new invoice is next.</summary>
    Credited,
    /// <summary>Credit note and new invoice issued.</summary>
    Done,
    /// <summary>Left alone: credited by someone else meanwhile, or the rules now refuse it.</summary>
    Skipped,
}

/// <summary>The corrective documents of one invoice in one run (key: run, invoice): a credit note cancelling it and a new invoice as due now.</summary>
public sealed record CorrectiveDocuments
{
    public int RunId { get; init; }
    public int InvoiceId { get; init; }
    public string? OriginalNumber { get; init; }
    public CorrectionStage Stage { get; init; }
    public int? CreditNoteId { get; init; }
    public string? CreditNoteNumber { get; init; }
    public int? NewInvoiceId { get; init; }
    public string? NewInvoiceNumber { get; init; }
    public string? Note { get; init; }
}
