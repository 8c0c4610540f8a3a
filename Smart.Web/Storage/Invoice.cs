using Smart.Rules.Evaluation;

namespace Smart.Web.Storage;

/// <summary>
/// Where an invoice stands. Draft, issued, partly paid, paid and cancelled are stored (they change only with a write);
/// overdue is never stored but computed from the due date by <see cref="Invoice.StatusOn"/>, so it cannot go stale.
/// </summary>
public enum InvoiceStatus
{
    Draft,
    /// <summary>Numbered and frozen: its lines and evaluation no longer change.</summary>
    Issued,
    PartlyPaid,
    Paid,
    /// <summary>Computed: issued or partly paid, its due date passed.</summary>
    Overdue,
    /// <summary>A credit note cancels it in full; its own evaluation stays as issued.</summary>
    CancelledByCreditNote,
    /// <summary>Given up after the reminders: nothing more is expected, the 7-day guarantee fund bears what its unit was advanced.</summary>
    WrittenOff,
}

/// <summary>Why and when staff gave up an unpaid invoice, and who did.</summary>
public sealed record InvoiceWriteOff(DateOnly Date, string Reason, string By);

/// <summary>A payment received for an issued invoice, in the invoice's currency.</summary>
public sealed record InvoicePayment(DateOnly Date, decimal Amount, string Reference);

/// <summary>One line as the user typed it; what the rules make of it is in the invoice's evaluation.</summary>
public sealed record InvoiceLineItem(string Description, string Category, decimal Quantity, decimal UnitPrice)
{
    /// <summary>The kind of work of an author-rights line (one of <see cref="WorkKinds.All"/>); null when not said or not author rights.</summary>
    public string? WorkKind { get; init; }
    /// <summary>Where a performance or a training is given (ISO 3166-1 alpha-2); null for the issuer's country.</summary>
    public string? PerformedIn { get; init; }
}

/// <summary>An invoice of a production unit to a client, issued by one of the country's issuing entities. Id and Version are set by the store.</summary>
public sealed record Invoice
{
    public int Id { get; init; }
    /// <summary>The production unit's country: its rule sets, currency and number sequence apply.</summary>
    public required string Country { get; init; }
    public int ProductionUnitId { get; init; }
    public int ClientId { get; init; }
    /// <summary>An issuing entity of the country's plugin manifest (Belgium: smartcoop or formateurs-associes).</summary>
    public required string Issuer { get; init; }
    public DateOnly Date { get; init; }
    public DateOnly? DueDate { get; init; }
    public string ServiceLevel { get; init; } = "standard";
    public IReadOnlyList<InvoiceLineItem> Lines { get; init; } = [];
    public InvoiceStatus Status { get; init; } = InvoiceStatus.Draft;
    /// <summary><c>BE-2026-000001</c>; null while a draft, given once when the invoice is issued.</summary>
    public string? Number { get; init; }
    /// <summary>What the rules made of the invoice at its last save (or at issue, then frozen), with rule-set versions and trace.</summary>
    public InvoiceEvaluation? Evaluation { get; init; }
    public IReadOnlyList<InvoicePayment> Payments { get; init; } = [];
    /// <summary>Set on a credit note: the invoice it cancels. A credit note is numbered from its own sequence (<c>BE-CN-2026-000001</c>).</summary>
    public int? CreditNoteForId { get; init; }
    /// <summary>Set on a cancelled invoice: its credit note.</summary>
    public int? CreditedById { get; init; }
    /// <summary>Set when the invoice is written off.</summary>
    public InvoiceWriteOff? WriteOff { get; init; }
    public int Version { get; init; }

    public bool IsCreditNote => CreditNoteForId is not null;
    public decimal Paid => Payments.Sum(p => p.Amount);
    /// <summary>What is left to pay on an issued invoice; nothing on a draft, a credit note or a cancelled invoice.</summary>
    public decimal BalanceDue => Status is InvoiceStatus.Issued or InvoiceStatus.PartlyPaid && !IsCreditNote ? (Evaluation?.Totals.Gross ?? 0m) - Paid : 0m;

    /// <summary>The stored status, or overdue when an unpaid issued invoice's due date is before <paramref name="today"/>.</summary>
    public InvoiceStatus StatusOn(DateOnly today) =>
        Status is InvoiceStatus.Issued or InvoiceStatus.PartlyPaid && !IsCreditNote && DueDate is { } due && due < today ? InvoiceStatus.Overdue : Status;
}
