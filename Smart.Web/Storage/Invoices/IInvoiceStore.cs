using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.Invoices;

public enum InvoiceSort
{
    Date,
    Number,
    Country,
    Total,
}

/// <summary>An invoice search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record InvoiceQuery(CountryScope Scope)
{
    public string? Country { get; init; }
    public InvoiceStatus? Status { get; init; }
    /// <summary>Invoice dates from this day on.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Invoice dates up to this day included.</summary>
    public DateOnly? To { get; init; }
    public int? ProductionUnitId { get; init; }
    public int? ClientId { get; init; }
    /// <summary>Only invoices whose gross total is exactly this amount (finding an invoice by the sum a client paid).</summary>
    public decimal? Total { get; init; }
    public InvoiceSort Sort { get; init; } = InvoiceSort.Date;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>
/// The invoices; scoped and audited as <see cref="IMemberStore"/> is. Only a draft can be updated; issuing numbers it
/// from a gap-free sequence per country and year. A list (search, export, past due, open) gives each invoice's evaluation without its
/// trace, which only the invoice's own page explains; <see cref="GetAsync"/> and the other single reads give it whole.
/// </summary>
public interface IInvoiceStore
{
    Task<SearchResult<Invoice>> SearchAsync(InvoiceQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store holds any record, whatever its country: what the demo seeds ask at start-up. A store whose search answers from
    /// rows in memory answers this without them, so start-up never waits for a year's rows to load.
    /// </summary>
    async Task<bool> AnyAsync(CancellationToken cancellationToken = default) => (await SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 0 }, cancellationToken)).Total > 0;

    IAsyncEnumerable<Invoice> ExportAsync(InvoiceQuery query, CancellationToken cancellationToken = default);
    Task<Invoice?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invoices of <paramref name="scope"/>'s countries overdue on <paramref name="today"/> (<see cref="Invoice.StatusOn(DateOnly)"/>), oldest
    /// due date first, read a batch at a time; <see cref="Invoice.IsOverdueOn"/> decides which of them still have something to pay.
    /// </summary>
    IAsyncEnumerable<Invoice> PastDueAsync(CountryScope scope, DateOnly today, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every issued or partly paid invoice of <paramref name="scope"/>'s countries (credit notes excluded), oldest due date first, read a
    /// batch at a time: what clients still owe, for matching a bank statement and for the receivables' ageing.
    /// </summary>
    IAsyncEnumerable<Invoice> OpenAsync(CountryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Stores a new draft (its status and number are ignored) and returns it with its id and version 1.</summary>
    Task<Invoice> AddDraftAsync(Invoice invoice, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a draft if its stored version is still <paramref name="expectedVersion"/>; an issued invoice is a conflict, never changed.</summary>
    Task<UpdateOutcome<Invoice>> UpdateDraftAsync(Invoice invoice, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a draft still at <paramref name="expectedVersion"/>: takes the next number of its country and year and stores
    /// <paramref name="evaluation"/> as its final one, all in one transaction. Anything else (already issued, newer version) is a conflict.
    /// </summary>
    Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, Smart.Rules.Evaluation.InvoiceEvaluation evaluation, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues as above and, in the same transaction, adds the evaluation's income (<see cref="MemberIncome.Of"/>: author rights, and the part above a
    /// share cap as professional income) to <paramref name="memberId"/>'s figures of the invoice's year.
    /// </summary>
    Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, Smart.Rules.Evaluation.InvoiceEvaluation evaluation, int? memberId, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues as above and stores, in the same transaction, the files <paramref name="files"/> makes from the numbered invoice (its e-invoice
    /// and PDF): if making them throws, nothing is issued and no number is taken.
    /// </summary>
    Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, Smart.Rules.Evaluation.InvoiceEvaluation evaluation, int? memberId, AuditActor actor,
        Func<Invoice, InvoiceFiles> files, CancellationToken cancellationToken = default);

    /// <summary>The files stored when the invoice (or credit note) was issued; none for a draft or one issued before e-invoicing.</summary>
    /// <summary>The issued invoice or credit note with this number, or null.</summary>
    Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken = default);

    Task<InvoiceFiles?> FilesAsync(int invoiceId, CancellationToken cancellationToken = default);

    /// <summary>A production unit's issued and partly paid invoices (not credit notes, not written off): what its clients still owe it.</summary>
    Task<IReadOnlyList<Invoice>> UnpaidAsync(int productionUnitId, CancellationToken cancellationToken = default);

    /// <summary>Adds a payment to an issued (or partly paid) invoice, which becomes partly paid or paid; more than the balance due is a conflict.</summary>
    Task<UpdateOutcome<Invoice>> RecordPaymentAsync(int id, InvoicePayment payment, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes off an issued or partly paid invoice (not a credit note): it becomes written off with <paramref name="writeOff"/>, and in the same
    /// transaction its unit's ledger records what the guarantee fund bears. Anything else is a conflict.
    /// </summary>
    Task<UpdateOutcome<Invoice>> WriteOffAsync(int id, InvoiceWriteOff writeOff, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels an issued invoice by a full credit note dated <paramref name="date"/>, numbered from the country's credit-note sequence of that year,
    /// carrying <paramref name="creditEvaluation"/>; the member's figures of the original's year lose what the original added to them.
    /// All in one transaction; returns the original, now cancelled (its <see cref="Invoice.CreditedById"/> names the credit note), or a conflict.
    /// </summary>
    Task<UpdateOutcome<Invoice>> CreditAsync(int id, Smart.Rules.Evaluation.InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Credits as above and stores the credit note's files, made from it (and its original) in the same transaction.</summary>
    Task<UpdateOutcome<Invoice>> CreditAsync(int id, Smart.Rules.Evaluation.InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor,
        Func<Invoice, Invoice, InvoiceFiles>? files, CancellationToken cancellationToken = default);

    /// <summary>
    /// A partial credit note of an issued invoice dated <paramref name="date"/>: <paramref name="quantities"/> (one per line of the invoice) of its lines,
    /// carrying <paramref name="creditEvaluation"/>, numbered from the credit-note sequence; the invoice records it (<see cref="Invoice.CreditedBy"/>),
    /// its unit's ledger and the member's figures of the invoice's year move by the credited part, its files are stored. All in one transaction;
    /// more than remains uncredited (<see cref="Invoice.CanCredit"/>) is a conflict. Returns the invoice, its last credit naming the note.
    /// </summary>
    Task<UpdateOutcome<Invoice>> CreditLinesAsync(int id, IReadOnlyList<decimal> quantities, Smart.Rules.Evaluation.InvoiceEvaluation creditEvaluation, DateOnly date,
        int? memberId, AuditActor actor, Func<Invoice, Invoice, InvoiceFiles>? files, CancellationToken cancellationToken = default);

    /// <summary>Records money given back to the client of an overpaid invoice; more than <see cref="Invoice.Overpaid"/> is a conflict.</summary>
    Task<UpdateOutcome<Invoice>> RefundAsync(int id, InvoiceRefund refund, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// The member's income of one calendar year from issued invoices less credit notes: their author-rights net without the part above a share cap,
    /// and that part as professional income.
    /// </summary>
    Task<MemberIncome> IncomeIssuedAsync(int memberId, int year, CancellationToken cancellationToken = default);

    /// <summary>The same figures for many members and years in one read; a member and year with no issued invoice is absent.</summary>
    Task<IReadOnlyDictionary<(int MemberId, int Year), MemberIncome>> IncomeIssuedAsync(IReadOnlyCollection<(int MemberId, int Year)> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drafts of <paramref name="country"/> (every country when null) with an id above <paramref name="afterId"/>, lowest id first: a bulk job's
    /// next batch. The evaluations may come without their traces (the LiteDB store leaves them out): a run compares figures.
    /// </summary>
    Task<IReadOnlyList<Invoice>> DraftsAfterAsync(string? country, int afterId, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invoices of <paramref name="country"/> dated from <paramref name="from"/> to <paramref name="to"/> included, whatever their status, with an
    /// id above <paramref name="afterId"/>, lowest id first: an impact simulation's next batch.
    /// </summary>
    Task<IReadOnlyList<Invoice>> DatedAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores each new evaluation on its invoice if it is still a draft at the expected version, all in one transaction, each audited with its changes;
    /// an invoice edited, issued or deleted meanwhile is left as it is. Returns, in order, whether each was written. With <paramref name="advance"/>,
    /// the re-evaluation run's progress is written in the same transaction, or nothing is (<see cref="RunMovedOnException"/>).
    /// </summary>
    Task<IReadOnlyList<bool>> ReplaceDraftEvaluationsAsync(IReadOnlyList<EvaluationReplacement<Smart.Rules.Evaluation.InvoiceEvaluation>> replacements, AuditActor actor,
        RunAdvance? advance = null, CancellationToken cancellationToken = default);
}
