using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Budget;

/// <summary>
/// The production units' budget ledgers. Entries are only ever added; each key (<see cref="LedgerEntry.Key"/>) is written at most
/// once, so appending an event's entries again writes nothing. Invoice, contract and unit writes append theirs inside their own
/// transaction (see <see cref="LiteDbLedgerStore.WriteWithin"/>, <see cref="PostgreSqlLedgerStore"/>); the rest (adjustments, expense claims) append here.
/// </summary>
public interface ILedgerStore
{
    /// <summary>A unit's entries in the order they were written.</summary>
    Task<IReadOnlyList<LedgerEntry>> EntriesAsync(int productionUnitId, CancellationToken cancellationToken = default);

    /// <summary>A unit's balance, reservations and outstanding guarantee advance, summed from its entries.</summary>
    Task<LedgerTotals> TotalsAsync(int productionUnitId, CancellationToken cancellationToken = default);

    /// <summary>What one document's entries hold in reservations now (a confirmed contract's cost).</summary>
    Task<decimal> ReservedByAsync(LedgerSource source, int sourceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends entries in one transaction, skipping any whose key is already stored; returns how many were written. An approved expense
    /// claim spends what it charges the unit, in its approval's transaction (<see cref="Storage.ExpenseClaims.LiteDbExpenseClaimStore"/>).
    /// </summary>
    Task<int> AppendAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Every guarantee entry (advances, recoveries, write-offs) of a country, oldest first: the guarantee report's input.</summary>
    Task<IReadOnlyList<LedgerEntry>> GuaranteeEntriesAsync(string country, CancellationToken cancellationToken = default);

    /// <summary>
    /// At start-up: writes once the opening entry of every unit whose budget was typed in before the ledger existed; returns how many
    /// units were opened.
    /// </summary>
    Task<int> OpenUnitsAsync(AuditActor actor, CancellationToken cancellationToken = default);
}
