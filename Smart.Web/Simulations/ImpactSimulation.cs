using Smart.Web.SinceIssue;

namespace Smart.Web.Simulations;

public enum SimulationStatus
{
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

/// <summary>
/// One impact simulation: a rule-set draft (its text as it was when the simulation started) against the book in force, over the stored
/// documents of its country dated in a period. It keeps its progress, the monthly totals and the counts; the affected documents' figures are
/// rows of their own (<see cref="SimulatedDocument"/>). The cursors are the last document id of each kind whose batch is finished.
/// </summary>
public sealed record ImpactSimulation
{
    public int Id { get; init; }
    public int VersionId { get; init; }
    /// <summary>The rule set's store key, e.g. <c>be/contribution.json</c>.</summary>
    public required string Key { get; init; }
    public int VersionNumber { get; init; }
    /// <summary>Upper-case country code: the draft's country, whose documents are simulated.</summary>
    public required string Country { get; init; }
    /// <summary>The draft's text when the simulation started: later edits of the draft do not change what was simulated.</summary>
    public required string DraftText { get; init; }
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    /// <summary>
    /// Set when the draft's new values were applied as if in force from this day (the period's first): its <see cref="DraftText"/> is then
    /// that hypothetical text, which evaluates the past period's documents at the future values.
    /// </summary>
    public DateOnly? AsIfInForceFrom { get; init; }
    public required string StartedBy { get; init; }
    public DateTime StartedAtUtc { get; init; }
    public DateTime? FinishedAtUtc { get; init; }
    public SimulationStatus Status { get; init; } = SimulationStatus.Queued;
    /// <summary>The country's currency (from the first evaluation).</summary>
    public string? Currency { get; init; }
    /// <summary>Documents of the period, counted when the job starts (documents saved later in the period are simulated too).</summary>
    public int Total { get; init; }
    public int Done { get; init; }
    /// <summary>Documents whose figures differ between the book in force and the draft.</summary>
    public int Affected { get; init; }
    /// <summary>Documents that one of the two books could not evaluate.</summary>
    public int Failed { get; init; }
    public int InvoiceCursor { get; init; }
    public int ContractCursor { get; init; }
    /// <summary>Affected documents counted by kind and status.</summary>
    public IReadOnlyList<AffectedCount> Counts { get; init; } = [];
    /// <summary>The period's totals month by month, before (in force) and after (draft), every evaluated document counted.</summary>
    public IReadOnlyList<MonthTotals> Months { get; init; } = [];
    /// <summary>Why it failed, or the first documents that could not be evaluated.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
    /// <summary>Documents whose evaluation threw or ran over the per-document budget (also counted in <see cref="Failed"/>).</summary>
    public int Faulted { get; init; }
    /// <summary>Why the run ended Failed: over its budget, documents that made the rules fail, or an error.</summary>
    public string? FailureReason { get; init; }
    /// <summary>Who asked to cancel it: set by the page, read by the job between documents; the store never lets a progress save clear it.</summary>
    public string? CancelledBy { get; init; }
    /// <summary>What is compared: a draft against the book in force, or issued documents' stored evaluations against the book as known now.</summary>
    public SimulationMode Mode { get; init; } = SimulationMode.Draft;
    /// <summary>Since issue: the version's publication; documents whose stored evaluation was made after it already used it and are not compared.</summary>
    public DateTime? KnownBefore { get; init; }
    /// <summary>Since issue: the affected documents' figures added up by member and year.</summary>
    public IReadOnlyList<MemberYearTotals> Members { get; init; } = [];

    public bool IsFinished => Status is SimulationStatus.Done or SimulationStatus.Failed or SimulationStatus.Cancelled;
    public int Percent => Status == SimulationStatus.Done ? 100 : Total == 0 ? 0 : Math.Min(99, (int)(Done * 100L / Total));
}

/// <param name="Kind"><c>invoice</c> or <c>contract</c>.</param>
/// <param name="Status">The document's stored status (Draft, Issued, Paid, Confirmed…).</param>
/// <param name="WouldChange">True for documents a publication re-evaluates (draft invoices, draft and confirmed contracts); issued invoices never change.</param>
public sealed record AffectedCount(string Kind, string Status, bool WouldChange, int Count);

/// <summary>One month of the period. VAT and contribution are the invoices'; the mutualised contribution is the contracts'.</summary>
public sealed record MonthTotals(int Year, int Month, int Documents, int Affected, decimal VatBefore, decimal VatAfter, decimal ContributionBefore,
    decimal ContributionAfter, decimal MutualisedBefore, decimal MutualisedAfter)
{
    public decimal VatDifference => VatAfter - VatBefore;
    public decimal ContributionDifference => ContributionAfter - ContributionBefore;
    public decimal MutualisedDifference => MutualisedAfter - MutualisedBefore;
}

/// <summary>
/// A document's figures under one book; the employment split only for contracts. <see cref="Error"/> is set (and the figures are zero) when
/// that book refused or did not cover the document.
/// </summary>
public sealed record DocumentFigures(decimal Net, decimal Vat, decimal Gross, decimal ContributionRate, decimal Contribution,
    decimal MutualisedContribution = 0m, decimal EmployerContributions = 0m, decimal GrossSalary = 0m, decimal WorkerContributions = 0m,
    decimal NetBeforeTax = 0m, string? Error = null, decimal Withholding = 0m, decimal LumpSum = 0m);

/// <summary>One affected document of a simulation: its figures with the book in force and with the draft.</summary>
/// <param name="MemberId">Since issue: the member whose production unit issued the invoice (null for contracts, or a member gone).</param>
public sealed record SimulatedDocument(int SimulationId, string Kind, int DocumentId, DateOnly Date, string Status, bool WouldChange, string? Number,
    DocumentFigures Before, DocumentFigures After, int? MemberId = null, string? Member = null);
