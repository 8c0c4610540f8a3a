using Smart.Rules.Evaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Budget;

/// <summary>
/// What each event writes in a unit's ledger, from the documents' stored evaluations: no figure is recomputed from rules here, so the
/// ledger says what the invoice and the contract said when they were issued or saved.
/// </summary>
public static class LedgerRules
{
    /// <summary>What a fully paid invoice brings to its unit: its net (excl. VAT) less the mutualised contribution.</summary>
    public static decimal UnitShare(InvoiceEvaluation evaluation) => evaluation.Totals.Net - evaluation.Contribution.Amount;

    /// <summary>
    /// The unit's share of <paramref name="paid"/> on <paramref name="invoice"/>: pro rata of the gross, rounded to the cent, and the whole
    /// share once paid in full. Each payment adds the difference between the share after it and before it, so partial payments add up
    /// to the invoice's share exactly, whatever the rounding.
    /// </summary>
    public static decimal ShareOfPaid(Invoice invoice, decimal paid)
    {
        // After partial credit notes, the share and the gross are what is left of them: the credited part brings the unit nothing.
        if (invoice.Evaluation is null || paid <= 0m) return 0m;
        var (share, owed) = (ShareAfterCredits(invoice), invoice.Owed);
        return paid >= owed ? share : Math.Round(share * paid / owed, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>The unit's share of the invoice less what its partial credit notes took off it.</summary>
    public static decimal ShareAfterCredits(Invoice invoice) =>
        (invoice.Evaluation is { } evaluation ? UnitShare(evaluation) : 0m) - invoice.Credits.Sum(c => c.UnitShare);

    /// <summary>What the unit would still get from <paramref name="invoice"/>: its share less the share of what was paid.</summary>
    public static decimal UnpaidShare(Invoice invoice) => ShareAfterCredits(invoice) - ShareOfPaid(invoice, invoice.Paid);

    /// <summary>
    /// A partial credit note: the unit's share of what was paid moves to what it is on the invoice after the note (a paid invoice gives back the
    /// credited part's share; an unpaid one, nothing yet: its later payments bring only the share left).
    /// </summary>
    public static IReadOnlyList<LedgerEntry> PartialCreditNote(Invoice before, Invoice after, Invoice note, AuditActor actor, DateTime now)
    {
        var change = ShareOfPaid(after, after.Paid) - ShareOfPaid(before, before.Paid);
        return change == 0m ? [] : [Entry(note, LedgerEntryKind.CreditNote, note.Date, actor, now) with { Amount = change, SourceKind = LedgerSource.CreditNote }];
    }

    /// <summary>The last payment of <paramref name="paid"/> (the invoice after it), and the guarantee's recovery from it when an advance is outstanding.</summary>
    public static IReadOnlyList<LedgerEntry> Payment(Invoice before, Invoice paid, LedgerTotals unit, AuditActor actor, DateTime now)
    {
        var payment = paid.Payments[^1];
        var share = ShareOfPaid(paid, paid.Paid) - ShareOfPaid(before, before.Paid);
        var entries = new List<LedgerEntry>
        {
            Entry(paid, LedgerEntryKind.InvoicePayment, payment.Date, actor, now) with { Amount = share, Sequence = paid.Payments.Count },
        };
        // The client's money repays the guarantee first: the balance already went below zero by the advance, so the payment's
        // share restores it; the recovery entry only records that the fund got its money back.
        var recovered = Math.Min(unit.Advance, share);
        if (recovered > 0m)
            entries.Add(Entry(paid, LedgerEntryKind.GuaranteeRecovery, payment.Date, actor, now) with { Advance = -recovered, Sequence = paid.Payments.Count });
        return entries;
    }

    /// <summary>A credit note takes back what the payments of the invoice it cancels added; an unpaid invoice added nothing.</summary>
    public static IReadOnlyList<LedgerEntry> CreditNote(Invoice original, Invoice note, AuditActor actor, DateTime now)
    {
        var taken = ShareOfPaid(original, original.Paid);
        return taken == 0m ? [] : [Entry(note, LedgerEntryKind.CreditNote, note.Date, actor, now) with { Amount = -taken, SourceKind = LedgerSource.CreditNote }];
    }

    /// <summary>
    /// An invoice written off: the unit will never get its unpaid share, so the guarantee fund bears the advance that share would have
    /// repaid (at most the unit's outstanding advance); the unit's balance comes back up by that amount.
    /// </summary>
    public static IReadOnlyList<LedgerEntry> WriteOff(Invoice invoice, DateOnly date, string reason, LedgerTotals unit, AuditActor actor, DateTime now)
    {
        var unpaid = UnpaidShare(invoice);
        var borne = Math.Min(unit.Advance, unpaid);
        return borne <= 0m ? [] : [Entry(invoice, LedgerEntryKind.GuaranteeWrittenOff, date, actor, now) with { Amount = borne, Advance = -borne, Reason = reason }];
    }

    /// <summary>Whether <see cref="Contract"/> reads the unit's figures for this save: only when it pays the salary (the guarantee's advance).</summary>
    public static bool ContractReadsUnitTotals(Contract? before, Contract after) => after.SalaryPaidOn is not null && before?.SalaryPaidOn is null;

    /// <summary>What a contract costs its unit: its employment budget as its stored evaluation split it (gross cost and the contribution on it).</summary>
    public static decimal Cost(Contract contract) => contract.Evaluation?.Employment.Budget ?? contract.Budget;

    /// <summary>
    /// A contract saved: a confirmed one holds its cost, any other holds nothing, so the entry is the difference with what it holds
    /// (<paramref name="held"/>); a salary paid spends the cost, releases what it held and, when the balance cannot pay it, records the
    /// guarantee's advance: the amount the balance goes below zero. <paramref name="unit"/>'s figures are read only for a salary paid
    /// (<see cref="ContractReadsUnitTotals"/>): a caller may pass <see cref="LedgerTotals.None"/> otherwise and save summing the unit's entries.
    /// </summary>
    public static IReadOnlyList<LedgerEntry> Contract(Contract? before, Contract after, decimal held, LedgerTotals unit, DateOnly today, AuditActor actor, DateTime now)
    {
        var cost = Cost(after);
        if (after.SalaryPaidOn is { } paidOn)
        {
            if (before?.SalaryPaidOn is not null) return [];
            var entries = new List<LedgerEntry> { Entry(after, LedgerEntryKind.SalaryPaid, paidOn, actor, now) with { Amount = -cost, Reserved = -held } };
            var advance = Math.Min(cost, cost - Math.Max(0m, unit.Balance));
            if (advance > 0m) entries.Add(Entry(after, LedgerEntryKind.GuaranteeAdvance, paidOn, actor, now) with { Advance = advance });
            return entries;
        }
        var change = (after.Status == ContractStatus.Confirmed ? cost : 0m) - held;
        if (change == 0m) return [];
        var kind = change > 0m ? LedgerEntryKind.ContractReservation : LedgerEntryKind.ReservationRelease;
        // A contract's version is unique per save, so each save's change has its own key.
        return [Entry(after, kind, today, actor, now) with { Reserved = change, Sequence = after.Version }];
    }

    /// <summary>A staff adjustment; <paramref name="token"/> comes with the form, so the same form sent twice writes once.</summary>
    public static LedgerEntry Adjustment(ProductionUnit unit, decimal amount, string reason, int token, DateOnly date, AuditActor actor, DateTime now) => new()
    {
        ProductionUnitId = unit.Id, Country = unit.Country, Date = date, Kind = LedgerEntryKind.Adjustment, Amount = amount,
        SourceKind = LedgerSource.Adjustment, SourceId = unit.Id, Sequence = token, WrittenBy = actor.Name, WrittenAtUtc = now, Reason = reason,
    };

    /// <summary>The budget a unit had before the ledger (typed in) or was given when created: one opening entry, written once.</summary>
    public static LedgerEntry OpeningBalance(int unitId, string country, decimal amount, DateOnly date, AuditActor actor, DateTime now) => new()
    {
        ProductionUnitId = unitId, Country = country, Date = date, Kind = LedgerEntryKind.OpeningBalance, Amount = amount,
        SourceKind = LedgerSource.ProductionUnit, SourceId = unitId, WrittenBy = actor.Name, WrittenAtUtc = now,
        Reason = "opening balance",
    };

    /// <summary>An approved expense claim spends its charge, written in the approval's transaction; its key makes it once per claim.</summary>
    public static LedgerEntry ExpenseClaim(ExpenseClaim claim, DateOnly approvedOn, AuditActor actor, DateTime now) => new()
    {
        // The unit bears what the expenses rule set charges it: the member's reimbursement less the input VAT the cooperative recovers.
        ProductionUnitId = claim.ProductionUnitId, Country = claim.Country, Date = approvedOn, Kind = LedgerEntryKind.ExpenseClaim,
        Amount = -(claim.ChargedToUnit ?? 0m), SourceKind = LedgerSource.ExpenseClaim, SourceId = claim.Id,
        SourceNumber = claim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), WrittenBy = actor.Name, WrittenAtUtc = now,
    };

    private static LedgerEntry Entry(Invoice invoice, LedgerEntryKind kind, DateOnly date, AuditActor actor, DateTime now) => new()
    {
        ProductionUnitId = invoice.ProductionUnitId, Country = invoice.Country, Date = date, Kind = kind,
        SourceKind = LedgerSource.Invoice, SourceId = invoice.Id, SourceNumber = invoice.Number, WrittenBy = actor.Name, WrittenAtUtc = now,
    };

    private static LedgerEntry Entry(Contract contract, LedgerEntryKind kind, DateOnly date, AuditActor actor, DateTime now) => new()
    {
        ProductionUnitId = contract.ProductionUnitId, Country = contract.Country, Date = date, Kind = kind,
        SourceKind = LedgerSource.Contract, SourceId = contract.Id, WrittenBy = actor.Name, WrittenAtUtc = now,
    };
}
