using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;

namespace Smart.Web.Budget;

/// <summary>
/// The ledgers in LiteDB (collection <c>ledgerEntries</c>), with a unique index on each entry's key. After each write the unit's
/// available budget is written on the unit's record (<c>productionUnits.AvailableBudget</c>) in the same transaction: a figure derived
/// from the ledger so the unit list can sort by it, never typed.
/// </summary>
public sealed class LiteDbLedgerStore : ILedgerStore
{
    public const string CollectionName = "ledgerEntries";

    private readonly LiteDatabase database;
    private readonly ILiteCollection<LedgerDocument> entries;
    private readonly ILiteCollection<BsonDocument> units;
    private readonly TimeProvider clock;
    private readonly Lock edits = new();

    /// <summary>
    /// The units whose available budget was written, raised once the write commits (never for one rolled back): the unit store's rows in
    /// memory read them again, so its list sorted by available budget follows the ledger.
    /// </summary>
    public event Action<IReadOnlyCollection<int>>? AvailableChanged;

    private void Changed(IReadOnlyCollection<int> unitIds)
    {
        if (unitIds.Count > 0 && AvailableChanged is { } changed) LiteDbTransactions.AfterCommit(() => changed(unitIds));
    }

    public LiteDbLedgerStore(LiteDatabase database, TimeProvider clock)
    {
        (this.database, this.clock) = (database, clock);
        entries = database.GetCollection<LedgerDocument>(CollectionName);
        units = database.GetCollection("productionUnits");
        entries.EnsureIndex(e => e.Key, unique: true);
        entries.EnsureIndex(e => e.ProductionUnitId);
        entries.EnsureIndex(e => e.Source);
        entries.EnsureIndex(e => e.Country);
        // Start-up looks for units not opened yet through this index instead of reading every unit.
        units.EnsureIndex("LedgerOpened");
    }

    public Task<IReadOnlyList<LedgerEntry>> EntriesAsync(int productionUnitId, CancellationToken cancellationToken = default)
    {
        // In the order written: each entry's running balance is the one its event saw (a salary's guarantee advance was decided on it),
        // even when an event is dated earlier than one written before it (a payment recorded late).
        IReadOnlyList<LedgerEntry> found = Of(productionUnitId).Select(d => d.ToEntry()).OrderBy(e => e.Id).ToList();
        return Task.FromResult(found);
    }

    public Task<LedgerTotals> TotalsAsync(int productionUnitId, CancellationToken cancellationToken = default) => Task.FromResult(TotalsOf(productionUnitId));

    public Task<decimal> ReservedByAsync(LedgerSource source, int sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReservedBy(source, sourceId));

    public Task<int> AppendAsync(IReadOnlyList<LedgerEntry> toAppend, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.InTransaction(edits, () => WriteWithin(toAppend)));

    public Task<IReadOnlyList<LedgerEntry>> GuaranteeEntriesAsync(string country, CancellationToken cancellationToken = default)
    {
        var kinds = new BsonArray(new[] { LedgerEntryKind.GuaranteeAdvance, LedgerEntryKind.GuaranteeRecovery, LedgerEntryKind.GuaranteeWrittenOff }
            .Select(k => new BsonValue(k.ToString())));
        IReadOnlyList<LedgerEntry> found = entries.Find(BsonExpression.Create("$.Country = @0 AND $.Kind IN @1", CountryCode.Normalise(country), kinds))
            .Select(d => d.ToEntry()).OrderBy(e => e.Date).ThenBy(e => e.Id).ToList();
        return Task.FromResult(found);
    }

    /// <summary>
    /// Writes the entries whose key is not stored yet, inside the caller's LiteDB transaction (an invoice's payment, a contract's save),
    /// so they commit or roll back with the event; returns how many were written. Called outside a transaction, each write stands alone.
    /// </summary>
    public int WriteWithin(IEnumerable<LedgerEntry> toWrite)
    {
        var written = 0;
        var touched = new HashSet<int>();
        foreach (var entry in toWrite)
        {
            // The key is checked before the insert so a replayed event is a no-op; the unique index stops a second writer that got past it.
            if (entries.Exists(e => e.Key == entry.Key)) continue;
            entries.Insert(LedgerDocument.From(entry));
            touched.Add(entry.ProductionUnitId);
            written++;
        }
        foreach (var unitId in touched) RefreshAvailable(unitId);
        Changed(touched);
        return written;
    }

    /// <summary>A unit's figures summed from its entries; read inside a write transaction, it sees that transaction's own entries.</summary>
    public LedgerTotals TotalsOf(int productionUnitId) =>
        Of(productionUnitId).Aggregate(LedgerTotals.None, (totals, d) => new(totals.Balance + d.Amount, totals.Reserved + d.Reserved, totals.Advance + d.Advance, totals.Entries + 1));

    /// <summary>What one document's entries hold in reservations now (a contract's, before its next save).</summary>
    public decimal ReservedBy(LedgerSource source, int sourceId) =>
        entries.Find(StoredFilter.Equal("Source", LedgerDocument.SourceOf(source, sourceId))).Sum(d => d.Reserved);

    /// <summary>As <see cref="ReservedBy(LedgerSource, int)"/> for many documents in one read (a bulk job's batch); one with no entry holds 0.</summary>
    public Dictionary<int, decimal> ReservedBy(LedgerSource source, IReadOnlyCollection<int> sourceIds)
    {
        var held = sourceIds.Distinct().ToDictionary(id => id, _ => 0m);
        foreach (var entry in entries.Find(StoredFilter.In("Source", held.Keys.Select(id => new BsonValue(LedgerDocument.SourceOf(source, id))))))
            held[entry.SourceId] += entry.Reserved;
        return held;
    }

    public Task<int> OpenUnitsAsync(AuditActor actor, CancellationToken cancellationToken = default) => Task.FromResult(OpenUnits(actor));

    /// <summary>
    /// Writes once the opening entry of every unit whose record has not been opened yet: the budget typed in before the ledger (or
    /// given to generated units) becomes one adjustment entry, then the record is marked. Idempotent by the entry's key as well, so a
    /// start-up stopped half-way finishes on the next one. Returns how many units were opened.
    /// </summary>
    public int OpenUnits(AuditActor actor, int batchSize = 2_000)
    {
        var opened = 0;
        while (true)
        {
            // False: stored by a bulk load; null: a record written before the ledger existed. One IN, which the index answers (an OR of the
            // two was a scan of every unit at every start).
            var batch = units.Find(StoredFilter.In("LedgerOpened", [false, BsonValue.Null]), limit: batchSize).ToList();
            if (batch.Count == 0) return opened;
            database.InTransaction(edits, () =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var unit in batch) Open(unit, unit["AvailableBudget"].IsNumber ? unit["AvailableBudget"].AsDecimal : 0m, actor, now);
                Changed(batch.Select(u => u["_id"].AsInt32).ToList());
                return 0;
            });
            opened += batch.Count;
        }
    }

    /// <summary>Opens a unit just stored (inside its insert's transaction) with its opening balance.</summary>
    public void OpenWithin(int unitId, decimal openingBalance, AuditActor actor)
    {
        if (units.FindById(unitId) is not { } unit) return;
        Open(unit, openingBalance, actor, clock.GetUtcNow().UtcDateTime);
        Changed([unitId]);
    }

    private void Open(BsonDocument unit, decimal openingBalance, AuditActor actor, DateTime now)
    {
        var id = unit["_id"].AsInt32;
        if (openingBalance != 0m)
        {
            var created = unit["Created"].IsDateTime ? unit["Created"].AsDateTime.ToDate() : DateOnly.FromDateTime(now);
            var entry = LedgerRules.OpeningBalance(id, unit["Country"].AsString, openingBalance, created, actor, now);
            if (!entries.Exists(e => e.Key == entry.Key)) entries.Insert(LedgerDocument.From(entry));
        }
        unit["LedgerOpened"] = true;
        unit["AvailableBudget"] = new BsonValue(TotalsOf(id).Available);
        units.Update(unit);
    }

    private void RefreshAvailable(int unitId)
    {
        if (units.FindById(unitId) is not { } unit) return;
        unit["AvailableBudget"] = new BsonValue(TotalsOf(unitId).Available);
        units.Update(unit);
    }

    private IEnumerable<LedgerDocument> Of(int productionUnitId) => entries.Find(StoredFilter.Equal("ProductionUnitId", productionUnitId));

    /// <summary>
    /// Bulk-loads generated entries into a fresh store (tools/Smart.Volume), then writes the available budget of each of
    /// <paramref name="units"/> and marks its ledger opened (its opening entry is among the entries); returns how many entries.
    /// </summary>
    public int ImportMany(IReadOnlyCollection<LedgerEntry> generated, IReadOnlyCollection<int> units)
    {
        lock (edits)
        {
            entries.InsertBulk(generated.Select(LedgerDocument.From), batchSize: 10_000);
            var available = generated.GroupBy(e => e.ProductionUnitId).ToDictionary(g => g.Key, g => g.Sum(e => e.Amount) - g.Sum(e => e.Reserved));
            // The store's own lock is held already: each batch's transaction needs no other.
            foreach (var batch in units.Chunk(2_000))
                database.InTransaction(new Lock(), () =>
                {
                    foreach (var unitId in batch)
                        if (this.units.FindById(unitId) is { } unit)
                        {
                            unit["AvailableBudget"] = new BsonValue(available.GetValueOrDefault(unitId));
                            unit["LedgerOpened"] = true;
                            this.units.Update(unit);
                        }
                    Changed(batch);
                    return 0;
                });
        }
        return generated.Count;
    }

    /// <summary>Every entry in the order written (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<LedgerEntry> All() => entries.Find(Query.All("_id")).Select(e => e.ToEntry());

    private sealed class LedgerDocument
    {
        [BsonId(autoId: true)] public long Id { get; set; }
        public string Key { get; set; } = "";
        public int ProductionUnitId { get; set; }
        public string Country { get; set; } = "";
        public DateTime Date { get; set; }
        public LedgerEntryKind Kind { get; set; }
        public decimal Amount { get; set; }
        public decimal Reserved { get; set; }
        public decimal Advance { get; set; }
        public LedgerSource SourceKind { get; set; }
        public int SourceId { get; set; }
        /// <summary><c>Contract:12</c>: the entries of one document, for what a contract holds.</summary>
        public string Source { get; set; } = "";
        public string? SourceNumber { get; set; }
        public int Sequence { get; set; }
        public string WrittenBy { get; set; } = "";
        public DateTime WrittenAtUtc { get; set; }
        public string? Reason { get; set; }

        public static string SourceOf(LedgerSource kind, int id) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kind}:{id}");

        public static LedgerDocument From(LedgerEntry e) => new()
        {
            Id = e.Id, Key = e.Key, ProductionUnitId = e.ProductionUnitId, Country = CountryCode.Normalise(e.Country), Date = e.Date.ToStored(), Kind = e.Kind,
            Amount = e.Amount, Reserved = e.Reserved, Advance = e.Advance, SourceKind = e.SourceKind, SourceId = e.SourceId,
            Source = SourceOf(e.SourceKind, e.SourceId), SourceNumber = e.SourceNumber, Sequence = e.Sequence, WrittenBy = e.WrittenBy,
            WrittenAtUtc = e.WrittenAtUtc, Reason = e.Reason,
        };

        public LedgerEntry ToEntry() => new()
        {
            Id = Id, ProductionUnitId = ProductionUnitId, Country = Country, Date = Date.ToDate(), Kind = Kind, Amount = Amount, Reserved = Reserved,
            Advance = Advance, SourceKind = SourceKind, SourceId = SourceId, SourceNumber = SourceNumber, Sequence = Sequence, WrittenBy = WrittenBy,
            WrittenAtUtc = DateTime.SpecifyKind(WrittenAtUtc.ToUniversalTime(), DateTimeKind.Utc), Reason = Reason,
        };
    }
}
