using Smart.Rules.Evaluation;

namespace Smart.Web.Storage.Invoices;

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

/// <summary>
/// A part of an issued invoice cancelled by one partial credit note: the quantity it credits of each of the invoice's lines (0 for a line left
/// alone), and what it took off the invoice's gross total and off its unit's share (both above zero).
/// </summary>
public sealed record InvoiceCredit(int CreditNoteId, string Number, DateOnly Date, IReadOnlyList<decimal> Quantities, decimal Gross, decimal UnitShare);

/// <summary>Money given back to the client of an invoice paid beyond what it still owes after its credit notes.</summary>
public sealed record InvoiceRefund(DateOnly Date, decimal Amount, string Reference);

/// <summary>One line of an issued invoice as a credit note may still take it: its quantity not credited yet.</summary>
public sealed record CreditableLine(int Index, InvoiceLineItem Line, decimal Remaining);

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
    /// <summary>
    /// Set on an invoice a correction run issued in place of one it credited (the amounts as due with the rules as known now): the original's id.
    /// Written with the new invoice itself, so a run restarted part-way finds it rather than making a second.
    /// </summary>
    public int? ReplacesId { get; init; }
    /// <summary>Set when the invoice is written off.</summary>
    public InvoiceWriteOff? WriteOff { get; init; }
    /// <summary>Its partial credit notes, oldest first; a full credit note is <see cref="CreditedById"/> alone.</summary>
    public IReadOnlyList<InvoiceCredit> Credits { get; init; } = [];
    public IReadOnlyList<InvoiceRefund> Refunds { get; init; } = [];
    public int Version { get; init; }

    public bool IsCreditNote => CreditNoteForId is not null;
    /// <summary>What the client paid and was not given back.</summary>
    public decimal Paid => Payments.Sum(p => p.Amount) - Refunds.Sum(r => r.Amount);
    /// <summary>The gross total less what its partial credit notes took off: what the client owes in all.</summary>
    public decimal Owed => (Evaluation?.Totals.Gross ?? 0m) - Credits.Sum(c => c.Gross);
    /// <summary>
    /// The invoice's total after its credit notes, as the invoice list shows and sorts it: nothing once a credit note cancelled it
    /// (a whole one, or partial ones that took every line), else <see cref="Owed"/>.
    /// </summary>
    public decimal TotalAfterCredits => TotalAfterCreditsOf(Status, Evaluation?.Totals.Gross ?? 0m, Credits.Sum(c => c.Gross));

    /// <summary>As <see cref="TotalAfterCredits"/>, from the stored fields a list reads (both stores sort on exactly this).</summary>
    public static decimal TotalAfterCreditsOf(InvoiceStatus stored, decimal gross, decimal credited) =>
        stored == InvoiceStatus.CancelledByCreditNote ? 0m : gross - credited;

    /// <summary>Issued or partly paid and not a credit note: its client still owes it (a payment may be pending), and it may fall overdue.</summary>
    public bool AwaitsPayment => AwaitsPaymentWith(Status, IsCreditNote);
    /// <summary>What is left to pay on an issued invoice; nothing on a draft, a credit note or a cancelled invoice.</summary>
    public decimal BalanceDue => AwaitsPayment ? Owed - Paid : 0m;

    /// <summary>
    /// Paid beyond what is owed, once a credit note took off more than was left to pay (a full one: all of it): the client's money to give
    /// back. Nothing on a draft or a credit note.
    /// </summary>
    public decimal Overpaid => Status == InvoiceStatus.Draft || IsCreditNote ? 0m : Math.Max(0m, Paid - (CreditedById is null ? Owed : 0m));

    /// <summary>Above zero and at most what was overpaid: a refund brings the balance to zero, never below.</summary>
    public bool CanRefund(decimal amount) => amount > 0m && amount <= Overpaid;

    public Invoice Refund(InvoiceRefund refund) => this with { Refunds = [.. Refunds, refund] };

    /// <summary>The stored status, or overdue when an unpaid issued invoice's due date is before <paramref name="today"/>.</summary>
    public InvoiceStatus StatusOn(DateOnly today) => StatusOn(Status, IsCreditNote, DueDate, today);

    /// <summary>
    /// The one definition of overdue, for a whole invoice and for the list's rows alike: issued or partly paid, not a credit note, its due
    /// date before <paramref name="today"/>. Never stored, so it cannot go stale.
    /// </summary>
    public static InvoiceStatus StatusOn(InvoiceStatus stored, bool isCreditNote, DateOnly? dueDate, DateOnly today) =>
        AwaitsPaymentWith(stored, isCreditNote) && dueDate is { } due && due < today ? InvoiceStatus.Overdue : stored;

    /// <summary><see cref="AwaitsPayment"/> from the stored fields alone, so a store can filter before it reads a whole document.</summary>
    public static bool AwaitsPaymentWith(InvoiceStatus stored, bool isCreditNote) => stored is InvoiceStatus.Issued or InvoiceStatus.PartlyPaid && !isCreditNote;

    /// <summary>Overdue on <paramref name="today"/> with something left to pay: what the reminders chase and the home page lists.</summary>
    public bool IsOverdueOn(DateOnly today) => StatusOn(today) == InvoiceStatus.Overdue && BalanceDue > 0m;

    /// <summary>Days since the due date (none before it, or without one).</summary>
    public int DaysLateOn(DateOnly today) => DueDate is { } due ? Math.Max(0, today.DayNumber - due.DayNumber) : 0;

    /// <summary>Still the draft the user saw at <paramref name="expectedVersion"/>: only then may it be edited, issued or re-evaluated.</summary>
    public bool IsDraftAt(int expectedVersion) => Status == InvoiceStatus.Draft && Version == expectedVersion;

    /// <summary>A draft still at <paramref name="expectedVersion"/>: an invoice issued, or changed since, is not issued again.</summary>
    public bool CanBeIssued(int expectedVersion) => IsDraftAt(expectedVersion);

    /// <summary>Numbered and frozen with its final evaluation; the number is taken only once <see cref="CanBeIssued"/> said yes.</summary>
    public Invoice Issue(string number, InvoiceEvaluation evaluation) => this with { Status = InvoiceStatus.Issued, Number = number, Evaluation = evaluation };

    /// <summary>Above zero and at most the balance due: two payments recorded at once can never pay more than is due.</summary>
    public bool CanPay(decimal amount) => amount > 0m && amount <= BalanceDue;

    /// <summary>With <paramref name="payment"/> added: paid once the payments reach the gross total, partly paid before.</summary>
    public Invoice Pay(InvoicePayment payment)
    {
        var paid = this with { Payments = [.. Payments, payment] };
        return paid with { Status = paid.Paid >= Owed ? InvoiceStatus.Paid : InvoiceStatus.PartlyPaid };
    }

    /// <summary>Issued (paid or not), not a credit note itself, not credited yet: a written-off invoice is not credited.</summary>
    public bool CanBeCredited => Status is InvoiceStatus.Issued or InvoiceStatus.PartlyPaid or InvoiceStatus.Paid && !IsCreditNote && CreditedById is null;

    /// <summary>
    /// The full credit note of this invoice, not stored yet: its lines negated, <paramref name="evaluation"/> (the original's, negated), dated
    /// <paramref name="date"/>, numbered <paramref name="number"/> and issued at once.
    /// </summary>
    public Invoice CreditNote(DateOnly date, string number, InvoiceEvaluation evaluation) => this with
    {
        Id = 0,
        Version = 1,
        Date = date,
        DueDate = null,
        Payments = [],
        CreditedById = null,
        CreditNoteForId = Id,
        ReplacesId = null,
        Status = InvoiceStatus.Issued,
        Lines = Lines.Select(l => l with { Quantity = -l.Quantity }).ToList(),
        Evaluation = evaluation,
        Number = number,
        WriteOff = null,
        Credits = [],
        Refunds = [],
    };

    /// <summary>Each line with the quantity no credit note took yet; none on an invoice that cannot be credited.</summary>
    public IReadOnlyList<CreditableLine> CreditableLines => !CanBeCredited ? [] : Lines.Select((line, i) =>
        new CreditableLine(i, line, line.Quantity - Credits.Sum(c => i < c.Quantities.Count ? c.Quantities[i] : 0m))).ToList();

    /// <summary>
    /// A quantity for each line, none below zero or above what remains of its line, at least one above zero: a partial credit note may take
    /// that. Returns the index of the first line refused (-1 when the count is wrong), or null when it may.
    /// </summary>
    public int? RefusedCredit(IReadOnlyList<decimal> quantities)
    {
        var creditable = CreditableLines;
        if (creditable.Count == 0 || quantities.Count != creditable.Count) return -1;
        for (var i = 0; i < quantities.Count; i++)
            if (quantities[i] < 0m || quantities[i] > Math.Max(0m, creditable[i].Remaining)) return i;
        return quantities.Any(q => q > 0m) ? null : 0;
    }

    public bool CanCredit(IReadOnlyList<decimal> quantities) => RefusedCredit(quantities) is null;

    /// <summary>What is left to credit excluding VAT: each line's uncredited quantity at its price, rounded to the cent as the rules round a line.</summary>
    public decimal CreditableNet => CreditableLines.Sum(l => LineNet(Math.Max(0m, l.Remaining), l.Line.UnitPrice));

    /// <summary>
    /// The quantities of each line that credit <paramref name="net"/> (excluding VAT) spread over the lines pro rata of what is left of each:
    /// each line's share rounded to the cent, the rounding put on the line with most left, so the credited lines' nets add up to the amount.
    /// Null when the amount is not above zero or above <see cref="CreditableNet"/>.
    /// </summary>
    public IReadOnlyList<decimal>? QuantitiesCrediting(decimal net)
    {
        var lines = CreditableLines;
        var left = CreditableNet;
        if (net <= 0m || left <= 0m || net > left) return null;
        if (net == left) return [.. lines.Select(l => Math.Max(0m, l.Remaining))];
        var nets = lines.Select(l => LineNet(Math.Max(0m, l.Remaining), l.Line.UnitPrice)).ToArray();
        var shares = nets.Select(n => Math.Round(n * net / left, 2, MidpointRounding.AwayFromZero)).ToArray();
        var largest = Array.IndexOf(nets, nets.Max());
        shares[largest] += net - shares.Sum();
        // Eight decimals: a quantity times any price below 100,000 still rounds to the cent of its share.
        return [.. lines.Select((l, i) => l.Line.UnitPrice == 0m ? 0m
            : Math.Clamp(Math.Round(shares[i] / l.Line.UnitPrice, 8, MidpointRounding.AwayFromZero), 0m, Math.Max(0m, l.Remaining)))];
    }

    private static decimal LineNet(decimal quantity, decimal unitPrice) => Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero);

    /// <summary>The lines a partial credit note of <paramref name="quantities"/> credits, with those quantities (positive, for evaluating them as an invoice's).</summary>
    public IReadOnlyList<InvoiceLineItem> CreditedLines(IReadOnlyList<decimal> quantities) =>
        Lines.Select((line, i) => line with { Quantity = quantities[i] }).Where(l => l.Quantity > 0m).ToList();

    /// <summary>
    /// A partial credit note of this invoice, not stored yet: the lines of <paramref name="quantities"/> negated, carrying
    /// <paramref name="evaluation"/> (those lines evaluated as an invoice's, then negated), numbered and issued at once.
    /// </summary>
    public Invoice PartialCreditNote(DateOnly date, string number, IReadOnlyList<decimal> quantities, InvoiceEvaluation evaluation) =>
        CreditNote(date, number, evaluation) with { Lines = CreditedLines(quantities).Select(l => l with { Quantity = -l.Quantity }).ToList(), Credits = [], Refunds = [] };

    /// <summary>
    /// With the partial credit note <paramref name="note"/> of <paramref name="quantities"/> recorded: cancelled once every line is credited in full,
    /// otherwise issued, partly paid or paid against what it still owes.
    /// </summary>
    public Invoice CreditedBy(Invoice note, IReadOnlyList<decimal> quantities, decimal unitShare)
    {
        var credited = this with { Credits = [.. Credits, new InvoiceCredit(note.Id, note.Number ?? "", note.Date, quantities, -(note.Evaluation?.Totals.Gross ?? 0m), unitShare)] };
        if (credited.CreditableLines.All(l => l.Remaining <= 0m)) return credited.CancelledBy(note.Id);
        var status = credited.Paid >= credited.Owed ? InvoiceStatus.Paid : credited.Paid > 0m ? InvoiceStatus.PartlyPaid : InvoiceStatus.Issued;
        return credited with { Status = status };
    }

    /// <summary>Cancelled in full by the credit note <paramref name="creditNoteId"/>.</summary>
    public Invoice CancelledBy(int creditNoteId) => this with { Status = InvoiceStatus.CancelledByCreditNote, CreditedById = creditNoteId };

    /// <summary>Only an invoice its client still owes can be given up; when it may be (overdue, reminded) is the write-off page's rule.</summary>
    public bool CanBeWrittenOff => AwaitsPayment;

    /// <summary>Staff may give it up once it is overdue and its client was reminded at least once (<paramref name="remindersSent"/>).</summary>
    public bool CanBeWrittenOffOn(DateOnly today, int remindersSent) => StatusOn(today) == InvoiceStatus.Overdue && remindersSent > 0;

    public Invoice WrittenOff(InvoiceWriteOff writeOff) => this with { Status = InvoiceStatus.WrittenOff, WriteOff = writeOff };
}
