namespace Smart.Rules.Evaluation;

// The result of an evaluation. Field names are the public API v1 contract: add fields, never rename or drop one.

public sealed record InvoiceEvaluation
{
    public required string Country { get; init; }
    public required string Currency { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>
    /// The knowledge date: the rule-set versions used are those published by then (the document's <see cref="Date"/> decides which law
    /// applies, this instant which publications of it were known). Set by the host that chose the book; null when it did not say.
    /// </summary>
    public DateTimeOffset? AsKnownOn { get; init; }
    public required string Issuer { get; init; }
    public required IReadOnlyList<LineEvaluation> Lines { get; init; }
    public required Totals Totals { get; init; }
    public required IReadOnlyList<VatBreakdownRow> VatBreakdown { get; init; }
    public required ContributionResult Contribution { get; init; }
    public AuthorRightsResult? AuthorRights { get; init; }
    public LatePaymentTerms? LatePayment { get; init; }
    /// <summary>A stamp duty the invoice bears (Italy's bollo); null where the country has no stamp-duty rule set.</summary>
    public StampDutyResult? StampDuty { get; init; }
    public required IReadOnlyList<string> Mentions { get; init; }
    public required IReadOnlyList<RuleSetUsed> Rulesets { get; init; }
    public required IReadOnlyList<TraceEntry> Trace { get; init; }
    /// <summary>Dated values the evaluation used that are not yet confirmed law: never mistake them for law.</summary>
    public required IReadOnlyList<UnconfirmedValue> Unconfirmed { get; init; }

    /// <summary>
    /// The same document for its reader and its e-invoice: every amount, rate, treatment, code and mention, author rights, late-payment
    /// terms and stamp duty. Not how it was reached (trace, rule names, rule-set versions, unconfirmed notes): another book giving the
    /// same figures gives the same evaluation. Re-evaluation and impact simulation both decide "changed" here.
    /// </summary>
    public bool Same(InvoiceEvaluation other) =>
        (Country, Currency, Date, Issuer, Totals, Contribution, AuthorRights, StampDuty) ==
            (other.Country, other.Currency, other.Date, other.Issuer, other.Totals, other.Contribution, other.AuthorRights, other.StampDuty)
        && Lines.Select(l => l with { Rule = "" }).SequenceEqual(other.Lines.Select(l => l with { Rule = "" }))
        && VatBreakdown.SequenceEqual(other.VatBreakdown) && Mentions.SequenceEqual(other.Mentions)
        && (LatePayment, other.LatePayment) switch
        {
            (null, null) => true,
            ({ } a, { } b) => a with { ReminderDays = [] } == b with { ReminderDays = [] } && a.ReminderDays.SequenceEqual(b.ReminderDays),
            _ => false,
        };

    /// <summary>
    /// The credit note's evaluation of this invoice: every amount with its sign turned, rates, treatments and mentions as they were, so the
    /// note cancels the invoice to the cent, its author rights included.
    /// </summary>
    public InvoiceEvaluation Negated() => this with
    {
        Lines = Lines.Select(l => l with { Net = -l.Net, Vat = -l.Vat }).ToList(),
        Totals = new Totals(-Totals.Net, -Totals.Vat, -Totals.Gross),
        VatBreakdown = VatBreakdown.Select(r => r with { Base = -r.Base, Vat = -r.Vat }).ToList(),
        Contribution = Contribution with { Base = -Contribution.Base, Amount = -Contribution.Amount },
        AuthorRights = AuthorRights is { } a
            ? a with { Amount = -a.Amount, Withholding = -a.Withholding, LumpSumDeduction = -a.LumpSumDeduction, AboveCeiling = -a.AboveCeiling }
            : null,
    };
}

/// <summary>
/// A line's VAT: rate and treatment, and the e-invoice codes the rule gives (added in v1): <see cref="VatCategory"/> (UNCL 5305),
/// <see cref="VatExemptionCode"/> (CEF VATEX), <see cref="VatExemptionReason"/> and, in Italy, the FatturaPA <see cref="Natura"/>.
/// </summary>
public sealed record LineEvaluation(decimal Net, decimal VatRate, decimal Vat, string VatTreatment, string? Mention, string Rule,
    string? VatCategory = null, string? VatExemptionCode = null, string? VatExemptionReason = null, string? Natura = null);

public sealed record Totals(decimal Net, decimal Vat, decimal Gross);

/// <summary>One VAT group (EN 16931 BG-23): a treatment, category, exemption and rate; the VAT of each is rounded once.</summary>
public sealed record VatBreakdownRow(string Treatment, decimal Rate, decimal Base, decimal Vat, string? Mention,
    string? VatCategory = null, string? VatExemptionCode = null, string? VatExemptionReason = null, string? Natura = null);

public sealed record ContributionResult(decimal Rate, decimal Base, decimal Amount);

/// <summary>Author-rights status of an invoice; <see cref="Ceiling"/> is null where the country's regime has no ceiling.</summary>
public sealed record AuthorRightsResult(
    decimal Amount, decimal YearToDate, decimal? Ceiling, bool WithinCeiling, decimal WithholdingRate, decimal Withholding,
    decimal LumpSumDeduction, decimal AboveCeiling)
{
    /// <summary>
    /// The part of the amount above the share of the whole pay that the regime allows as author rights (Belgium's 70/30
    /// rule): professional income, outside the withholding, the ceiling and the lump sum. 0 where the regime has no such cap.
    /// </summary>
    public decimal AboveShareCap { get; init; }
}

public sealed record LatePaymentTerms(decimal InterestRate, decimal FlatCompensation, IReadOnlyList<int> ReminderDays)
{
    /// <summary>The most a penalty clause may claim on this invoice (Belgium's Book XIX for consumers); null where no cap applies.</summary>
    public decimal? PenaltyCap { get; init; }
}

/// <summary>A stamp duty: its amount (0 when not due) and the amount it was decided on (the lines bearing no VAT).</summary>
public sealed record StampDutyResult(decimal Amount, decimal Base)
{
    /// <summary>The annotation the document carries for the duty (also among the mentions); null when the rule names none.</summary>
    public string? Mention { get; init; }
}

public sealed record RuleSetUsed(string Id, string Version, DateOnly ValidFrom)
{
    /// <summary>The rule set's version number in the rule-set store (null for a book read from files).</summary>
    public int? StoreVersion { get; init; }
    /// <summary>When that version was published: the evaluation used what was known from then on.</summary>
    public DateTime? Published { get; init; }
}

/// <summary>One fired rule: which rule, for which line (null for the whole document), with which parameter values.</summary>
public sealed record TraceEntry(string Ruleset, string Rule, int? Line, string Detail, IReadOnlyDictionary<string, object?> Values, string? Source);

public sealed record UnconfirmedValue(string Ruleset, string Parameter, DateOnly From, string? Note);

public sealed record ContractEvaluation
{
    public required string Country { get; init; }
    public required string Currency { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>
    /// The knowledge date: the rule-set versions used are those published by then (the document's <see cref="Date"/> decides which law
    /// applies, this instant which publications of it were known). Set by the host that chose the book; null when it did not say.
    /// </summary>
    public DateTimeOffset? AsKnownOn { get; init; }
    public required EmploymentSplit Employment { get; init; }
    public required ContributionResult Contribution { get; init; }
    public required IReadOnlyList<string> Mentions { get; init; }
    public required IReadOnlyList<RuleSetUsed> Rulesets { get; init; }
    public required IReadOnlyList<TraceEntry> Trace { get; init; }
    public required IReadOnlyList<UnconfirmedValue> Unconfirmed { get; init; }

    /// <summary>The same contract for its reader: the budget's split, the contribution and the mentions; not the trace or the versions (as <see cref="InvoiceEvaluation.Same"/>).</summary>
    public bool Same(ContractEvaluation other) =>
        (Country, Currency, Date, Employment, Contribution) == (other.Country, other.Currency, other.Date, other.Employment, other.Contribution)
        && Mentions.SequenceEqual(other.Mentions);
}

/// <summary>How an employment budget splits: budget = mutualised contribution + employer contributions + gross salary.</summary>
public sealed record EmploymentSplit(decimal Budget, decimal MutualisedContribution, decimal EmployerContributions, decimal GrossSalary,
    decimal EmployerRate, decimal WorkerContributions, decimal NetBeforeTax);

/// <summary>
/// An expense claim's evaluation: the member is reimbursed <see cref="Reimbursed"/>; the cooperative reclaims
/// <see cref="RecoverableVat"/> from the tax authority; the production unit is charged the rest, <see cref="Charged"/>.
/// </summary>
public sealed record ExpenseEvaluation
{
    public required string Country { get; init; }
    public required string Currency { get; init; }
    public required DateOnly Date { get; init; }
    public required string Category { get; init; }
    /// <summary>receipt | mileage | per-diem</summary>
    public required string Kind { get; init; }
    /// <summary>What the receipt shows, VAT included (for mileage and per diem: what is reimbursed).</summary>
    public required decimal Amount { get; init; }
    /// <summary>The input VAT on the receipt.</summary>
    public required decimal Vat { get; init; }
    /// <summary>The share of <see cref="Vat"/> the law lets the cooperative deduct (0 to 1).</summary>
    public required decimal DeductibleShare { get; init; }
    public required decimal RecoverableVat { get; init; }
    public required decimal Reimbursed { get; init; }
    /// <summary>What the expense costs the production unit: reimbursed less the VAT the cooperative recovers.</summary>
    public required decimal Charged { get; init; }
    public required IReadOnlyList<string> Mentions { get; init; }
    public required IReadOnlyList<RuleSetUsed> Rulesets { get; init; }
    public required IReadOnlyList<TraceEntry> Trace { get; init; }
    public required IReadOnlyList<UnconfirmedValue> Unconfirmed { get; init; }
}
