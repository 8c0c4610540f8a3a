using LiteDB;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.ProductionUnits;

public sealed class LiteDbProductionUnitStore : IProductionUnitStore, IDisposable, IWarmsUp
{
    private readonly ILiteCollection<ProductionUnitDocument> units;
    private readonly AuditedCollection<ProductionUnit, ProductionUnitDocument> writes;
    private readonly DirectoryRows rows;
    private readonly Budget.LiteDbLedgerStore ledger;

    public LiteDbProductionUnitStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock, Budget.LiteDbLedgerStore? ledger = null)
    {
        units = database.GetCollection<ProductionUnitDocument>("productionUnits");
        this.ledger = ledger ??= new Budget.LiteDbLedgerStore(database, clock);
        writes = new(database, units, audit, clock, AuditedEntity.ProductionUnit, ProductionUnitDocument.From, d => d.ToUnit(),
            u => u.Id, u => u.Version, u => u.Country, (u, id, version) => u with { Id = id, Version = version, Country = CountryCode.Normalise(u.Country) });
        rows = new DirectoryRows(database, "productionUnits", "SortName", "Sector", "Status", "MemberId", "Created", "SearchWords", "AvailableBudget");
        writes.Committed = rows.Refresh;
        // The available budget is written by the ledger inside other stores' transactions: once they commit, the rows read those units again.
        ledger.AvailableChanged += AvailableChanged;
        // The available budget is the ledger's: an edit keeps the figure stored at the moment of its write, whatever the form read.
        writes.Keep = (stored, edited) => edited with { AvailableBudget = stored.AvailableBudget };
        // A new unit's ledger opens in its insert's transaction, with the opening balance it was given.
        writes.Alongside = (before, after, actor) => { if (before is null) ledger.OpenWithin(after.Id, after.OpeningBalance, actor); };
        DirectorySearch.EnsureSearchIndex(units);
        units.EnsureIndex(u => u.Country);
        units.EnsureIndex(u => u.SortName);
        units.EnsureIndex(u => u.Sector);
        units.EnsureIndex(u => u.Status);
        units.EnsureIndex(u => u.MemberId);
        units.EnsureIndex(u => u.Created);
    }

    /// <summary>The container disposes the store before the file: a warm-up of its rows still reading stops.</summary>
    public void Dispose()
    {
        ledger.AvailableChanged -= AvailableChanged;
        rows.Stop();
    }

    // A bulk load's thousands of units: the rows load again on the next list instead of one read each now.
    private void AvailableChanged(IReadOnlyCollection<int> unitIds) => rows.Refresh(unitIds.Count > 1_000 ? null : unitIds);

    // Every order from the rows, the available budget too: the ledger's writes refresh it there (AvailableChanged).
    /// <summary>Starts loading the rows in memory on a background thread: once the app answers (<see cref="RowsWarmUp"/>).</summary>
    public void WarmUp(ILogger logger) => rows.WarmUpInBackground(logger);

    /// <summary>One key read from the primary index, not the rows in memory: start-up asks before they are loaded.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(units.Query().Exists());

    public Task<SearchResult<ProductionUnit>> SearchAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(rows, units, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, d => d.Id, d => d.ToUnit(),
            SearchTotals.KeyOf(query with { Skip = 0, Take = 0, Sort = default, Descending = false })));

    public IAsyncEnumerable<ProductionUnit> ExportAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(units, query.Scope, Filters(query), Order(query.Sort), query.Descending, d => d.ToUnit(), cancellationToken);

    public Task<ProductionUnit?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public Task<IReadOnlyDictionary<int, ProductionUnit>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<int, ProductionUnit> found = ids.Count == 0
            ? new Dictionary<int, ProductionUnit>()
            : units.Find(StoredFilter.Ids(ids.Distinct())).ToDictionary(d => d.Id, d => d.ToUnit());
        return Task.FromResult(found);
    }

    public Task<ProductionUnit> AddAsync(ProductionUnit unit, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([unit], actor)[0]);

    public Task AddManyAsync(IEnumerable<ProductionUnit> units, AuditActor actor, CancellationToken cancellationToken = default)
    {
        writes.Insert(units, actor);
        return Task.CompletedTask;
    }

    /// <summary>Bulk-loads generated production units into a fresh store (no audit entry each): see tools/Smart.Volume.</summary>
    public IReadOnlyList<ProductionUnit> ImportMany(IEnumerable<ProductionUnit> generated) => writes.InsertBulk(generated).Select(d => d.ToUnit()).ToList();

    public Task<UpdateOutcome<ProductionUnit>> UpdateAsync(ProductionUnit unit, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(unit, expectedVersion, actor));

    private static List<BsonExpression> Filters(ProductionUnitQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (!string.IsNullOrWhiteSpace(query.Sector)) filters.Add(StoredFilter.Equal("Sector", query.Sector));
        if (query.Status is { } status) filters.Add(StoredFilter.Equal("Status", status.ToString()));
        if (query.MemberId is { } memberId) filters.Add(StoredFilter.Equal("MemberId", memberId));
        filters.AddRange(DirectorySearch.TextFilters(query.Search));
        return filters;
    }

    private static BsonExpression Order(ProductionUnitSort sort) => sort switch
    {
        ProductionUnitSort.Country => "$.Country + ' ' + $.SortName",
        ProductionUnitSort.Sector => "$.Sector + ' ' + $.SortName",
        ProductionUnitSort.Created => "$.Created",
        ProductionUnitSort.AvailableBudget => "$.AvailableBudget",
        _ => "$.SortName",
    };

    /// <summary>Every unit in id order, and whether the ledger has written its opening entry (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<(ProductionUnit Unit, bool LedgerOpened)> All() => units.Find(Query.All("_id")).Select(d => (d.ToUnit(), d.LedgerOpened));

    private sealed class ProductionUnitDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public string Name { get; set; } = "";
        public int MemberId { get; set; }
        public string Sector { get; set; } = "";
        public ProductionUnitStatus Status { get; set; }
        /// <summary>Written by the ledger (LiteDbLedgerStore) after each of its writes; before the ledger, the budget staff typed in.</summary>
        public decimal AvailableBudget { get; set; }
        /// <summary>False until the ledger has written this unit's opening entry (the migration of a typed budget).</summary>
        public bool LedgerOpened { get; set; }
        public DateTime Created { get; set; }
        public int Version { get; set; }
        public string SortName { get; set; } = "";
        public List<string> SearchWords { get; set; } = [];

        public static ProductionUnitDocument From(ProductionUnit u) => new()
        {
            Id = u.Id, Country = u.Country, Name = u.Name, MemberId = u.MemberId, Sector = u.Sector, Status = u.Status,
            // A unit not stored yet carries its opening balance until the ledger opens it (at once, or at start-up for a bulk load).
            AvailableBudget = u.Id == 0 ? u.OpeningBalance : u.AvailableBudget, LedgerOpened = u.Id != 0, Created = u.Created.ToStored(), Version = u.Version,
            SortName = Storage.SearchWords.SortKey(u.Name), SearchWords = Storage.SearchWords.Of(u.Name),
        };

        public ProductionUnit ToUnit() => new()
        {
            Id = Id, Country = Country, Name = Name, MemberId = MemberId, Sector = Sector, Status = Status,
            AvailableBudget = AvailableBudget, Created = Created.ToDate(), Version = Version,
        };
    }
}
