using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.ProductionUnits;

public enum ProductionUnitSort
{
    Name,
    Country,
    Sector,
    Created,
    AvailableBudget,
}

/// <summary>A production unit search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record ProductionUnitQuery(CountryScope Scope)
{
    /// <summary>Words each matching the start of a word of the unit's name, accents and case ignored.</summary>
    public string? Search { get; init; }
    public string? Country { get; init; }
    public string? Sector { get; init; }
    public ProductionUnitStatus? Status { get; init; }
    public int? MemberId { get; init; }
    public ProductionUnitSort Sort { get; init; } = ProductionUnitSort.Name;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>The production units; scoped and audited as <see cref="IMemberStore"/> is.</summary>
public interface IProductionUnitStore
{
    Task<SearchResult<ProductionUnit>> SearchAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store holds any record, whatever its country: what the demo seeds ask at start-up. A store whose search answers from
    /// rows in memory answers this without them, so start-up never waits for a year's rows to load.
    /// </summary>
    async Task<bool> AnyAsync(CancellationToken cancellationToken = default) => (await SearchAsync(new ProductionUnitQuery(CountryScope.All) { Take = 0 }, cancellationToken)).Total > 0;

    IAsyncEnumerable<ProductionUnit> ExportAsync(ProductionUnitQuery query, CancellationToken cancellationToken = default);
    Task<ProductionUnit?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The production units with these ids, by id, in one read; unknown ids are absent.</summary>
    Task<IReadOnlyDictionary<int, ProductionUnit>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default);
    Task<ProductionUnit> AddAsync(ProductionUnit unit, AuditActor actor, CancellationToken cancellationToken = default);
    Task AddManyAsync(IEnumerable<ProductionUnit> units, AuditActor actor, CancellationToken cancellationToken = default);
    Task<UpdateOutcome<ProductionUnit>> UpdateAsync(ProductionUnit unit, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);
}
