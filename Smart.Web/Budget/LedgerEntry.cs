namespace Smart.Web.Budget;

/// <summary>What moved a production unit's budget. Stored by name: add kinds, never rename one.</summary>
public enum LedgerEntryKind
{
    /// <summary>The budget typed in before the ledger existed (or given to a new unit), written once.</summary>
    OpeningBalance,
    /// <summary>A staff correction, always with its reason; a mistake is undone by an opposite adjustment.</summary>
    Adjustment,
    /// <summary>A client's payment: its share of the invoice's net less the mutualised contribution.</summary>
    InvoicePayment,
    /// <summary>A credit note takes back what the credited invoice's payments added.</summary>
    CreditNote,
    /// <summary>A confirmed contract holds its employment budget.</summary>
    ContractReservation,
    /// <summary>A contract cancelled, lowered or back to draft gives back what it held.</summary>
    ReservationRelease,
    /// <summary>The salary is paid: the employment budget is spent and its reservation released.</summary>
    SalaryPaid,
    /// <summary>The 7-day guarantee paid what the unit did not have: the amount the balance went below zero.</summary>
    GuaranteeAdvance,
    /// <summary>A client's payment first repays the guarantee's advance.</summary>
    GuaranteeRecovery,
    /// <summary>An invoice written off: the guarantee fund bears the advance it would have repaid.</summary>
    GuaranteeWrittenOff,
    /// <summary>An approved expense claim spends its reimbursable amount (written by the expense claims feature).</summary>
    ExpenseClaim,
}

/// <summary>The kind of document an entry comes from; with its id it names the event, which writes its entries at most once.</summary>
public enum LedgerSource
{
    ProductionUnit,
    Invoice,
    CreditNote,
    Contract,
    ExpenseClaim,
    Adjustment,
}

/// <summary>
/// One dated, never-edited movement of a production unit's budget, in the unit's currency (its country's). Three figures move: the balance
/// (<see cref="Amount"/>), what contracts hold (<see cref="Reserved"/>) and what the 7-day guarantee has advanced and not yet
/// got back (<see cref="Advance"/>). <see cref="Key"/> (kind, source and sequence) is unique in the store: an event retried
/// or replayed after a restart finds its entry there and writes nothing.
/// </summary>
public sealed record LedgerEntry
{
    public long Id { get; init; }
    public int ProductionUnitId { get; init; }
    public required string Country { get; init; }
    /// <summary>The day the money moved (a payment's date, the day a salary was paid), not when it was written.</summary>
    public DateOnly Date { get; init; }
    public LedgerEntryKind Kind { get; init; }
    public decimal Amount { get; init; }
    public decimal Reserved { get; init; }
    public decimal Advance { get; init; }
    public LedgerSource SourceKind { get; init; }
    public int SourceId { get; init; }
    /// <summary>The document's number when it has one (an invoice or credit note number).</summary>
    public string? SourceNumber { get; init; }
    /// <summary>Tells apart several entries of one kind from one source: a payment's position, a contract's version.</summary>
    public int Sequence { get; init; } = 1;
    /// <summary>The account's e-mail, or <c>system:&lt;job&gt;</c>.</summary>
    public required string WrittenBy { get; init; }
    public DateTime WrittenAtUtc { get; init; }
    /// <summary>Required for an adjustment; optional elsewhere (a write-off's reason).</summary>
    public string? Reason { get; init; }

    public string Key => KeyOf(Kind, SourceKind, SourceId, Sequence);

    public static string KeyOf(LedgerEntryKind kind, LedgerSource source, int sourceId, int sequence) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kind}:{source}:{sourceId}:{sequence}");
}

/// <summary>A unit's figures, summed from its entries: the available budget is the balance less what confirmed contracts hold.</summary>
public sealed record LedgerTotals(decimal Balance, decimal Reserved, decimal Advance, int Entries)
{
    public static LedgerTotals None { get; } = new(0m, 0m, 0m, 0);

    public decimal Available => Balance - Reserved;

    public LedgerTotals With(LedgerEntry entry) => new(Balance + entry.Amount, Reserved + entry.Reserved, Advance + entry.Advance, Entries + 1);
}

/// <summary>A spending refused inside its transaction because the unit's available budget no longer covers it (another spending came first).</summary>
public sealed class BudgetExceededException(decimal available) : InvalidOperationException($"The unit has {available} available.")
{
    public decimal Available { get; } = available;
}
