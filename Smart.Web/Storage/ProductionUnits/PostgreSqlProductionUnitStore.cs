using NpgsqlTypes;
using Npgsql;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.ProductionUnits;

/// <summary>
/// Opens a production unit's ledger inside the transaction that stores the unit (its opening entry, then <c>available_budget</c> and
/// <c>ledger_opened</c> on its row): implemented by the PostgreSQL ledger. Without one, a new unit keeps its opening balance as its
/// available budget with <c>ledger_opened</c> false, as a bulk-loaded LiteDB unit does, for the ledger to open later.
/// </summary>
public interface IPostgreSqlUnitLedger
{
    Task OpenWithinAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProductionUnit> units, AuditActor actor,
        CancellationToken cancellationToken);
}

/// <summary>The production units in the <c>production_units</c> table; the available budget is the ledger's column, never the unit's edits'.</summary>
public sealed class PostgreSqlProductionUnitStore : IProductionUnitStore
{
    private readonly PostgreSqlRecords<ProductionUnit> records;

    /// <summary>The table's writes, for the move from LiteDB (Storage/MoveUp).</summary>
    internal PostgreSqlRecords<ProductionUnit> Records => records;

    public PostgreSqlProductionUnitStore(NpgsqlDataSource dataSource, TimeProvider clock, IPostgreSqlUnitLedger? ledger = null, PostgreSqlCounts? counts = null)
    {
        records = new(dataSource, clock, "production_units", AuditedEntity.ProductionUnit,
            [
                new("member_id", NpgsqlDbType.Integer, u => u.MemberId),
                new("sort_name", NpgsqlDbType.Text, u => SearchWords.SortKey(u.Name)),
                new("sector", NpgsqlDbType.Text, u => u.Sector),
                new("status", NpgsqlDbType.Text, u => u.Status.ToString()),
                new("created", NpgsqlDbType.Date, u => u.Created),
                new("available_budget", NpgsqlDbType.Numeric, u => u.AvailableBudget, OnInsertOnly: true),
                new("ledger_opened", NpgsqlDbType.Boolean, _ => false, OnInsertOnly: true),
                new("search_words", NpgsqlDbType.Array | NpgsqlDbType.Text, u => SearchWords.Of(u.Name).ToArray()),
                new("search_prefixes", NpgsqlDbType.Array | NpgsqlDbType.Text, u => RecordFilter.Prefixes(SearchWords.Of(u.Name))),
            ],
            u => u.Id, u => u.Version, u => u.Country, (u, id, version) => u with { Id = id, Version = version, Country = CountryCode.Normalise(u.Country) })
        {
            Counts = counts,
            // The row's column is the budget: the document's copy is whatever it was when the unit was last edited.
            ExtraSelect = ", available_budget",
            Complete = (unit, row) => unit with { AvailableBudget = row.GetDecimal(3), OpeningBalance = 0m },
            // A unit not opened yet carries its opening balance as its budget until the ledger opens it (at once, when there is one).
            AsStored = unit => unit with { AvailableBudget = unit.OpeningBalance, OpeningBalance = 0m },
            Keep = (stored, edited) => edited with { AvailableBudget = stored.AvailableBudget, OpeningBalance = 0m },
        };
        if (ledger is not null) records.AlongsideInsert = ledger.OpenWithinAsync;
    }

    public Task<SearchResult<ProductionUnit>> SearchAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default) =>
        records.SearchAsync(Filter(query), Order(query.Sort), query.Descending, query.Skip, query.Take, cancellationToken);

    public IAsyncEnumerable<ProductionUnit> ExportAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default) =>
        records.ExportAsync(Filter(query), Order(query.Sort), query.Descending, cancellationToken);

    public Task<ProductionUnit?> GetAsync(int id, CancellationToken cancellationToken = default) => records.GetAsync(id, cancellationToken);

    public Task<IReadOnlyDictionary<int, ProductionUnit>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default) =>
        records.GetManyAsync(ids, cancellationToken);

    public async Task<ProductionUnit> AddAsync(ProductionUnit unit, AuditActor actor, CancellationToken cancellationToken = default) =>
        (await records.InsertAsync([unit], actor, cancellationToken))[0];

    public Task AddManyAsync(IEnumerable<ProductionUnit> units, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.InsertAsync(units, actor, cancellationToken);

    public Task<UpdateOutcome<ProductionUnit>> UpdateAsync(ProductionUnit unit, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.UpdateAsync(unit, expectedVersion, actor, cancellationToken);

    private static RecordFilter Filter(ProductionUnitQuery query)
    {
        var filter = new RecordFilter(query.Scope);
        if (!string.IsNullOrWhiteSpace(query.Country)) filter.Add("country = {0}", CountryCode.Normalise(query.Country));
        if (!string.IsNullOrWhiteSpace(query.Sector)) filter.Add("sector = {0}", query.Sector);
        if (query.Status is { } status) filter.Add("status = {0}", status.ToString());
        if (query.MemberId is { } memberId) filter.Add("member_id = {0}", memberId);
        return filter.Words(query.Search);
    }

    private static string Order(ProductionUnitSort sort) => sort switch
    {
        ProductionUnitSort.Country => "country, sort_name",
        ProductionUnitSort.Sector => "sector, sort_name",
        ProductionUnitSort.Created => "created",
        ProductionUnitSort.AvailableBudget => "available_budget",
        _ => "sort_name",
    };
}
