using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.Clients;

public enum ClientSort
{
    Name,
    Country,
    City,
    Kind,
}

/// <summary>A client search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record ClientQuery(CountryScope Scope)
{
    /// <summary>Words each matching the start of a word of the name, city, e-mail, VAT or company number, accents and case ignored.</summary>
    public string? Search { get; init; }
    public string? Country { get; init; }
    public ClientKind? Kind { get; init; }
    public string? LegalForm { get; init; }
    public ClientSort Sort { get; init; } = ClientSort.Name;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>The clients; scoped and audited as <see cref="IMemberStore"/> is.</summary>
public interface IClientStore
{
    Task<SearchResult<Client>> SearchAsync(ClientQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store holds any record, whatever its country: what the demo seeds ask at start-up. A store whose search answers from
    /// rows in memory answers this without them, so start-up never waits for a year's rows to load.
    /// </summary>
    async Task<bool> AnyAsync(CancellationToken cancellationToken = default) => (await SearchAsync(new ClientQuery(CountryScope.All) { Take = 0 }, cancellationToken)).Total > 0;

    IAsyncEnumerable<Client> ExportAsync(ClientQuery query, CancellationToken cancellationToken = default);
    Task<Client?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The clients with these ids, by id, in one read; unknown ids are absent.</summary>
    Task<IReadOnlyDictionary<int, Client>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default);

    /// <summary>The client of a country with this VAT number (as normalised by the plugin), if any: for refusing a duplicate.</summary>
    Task<Client?> FindByVatNumberAsync(string country, string vatNumber, CancellationToken cancellationToken = default);

    Task<Client> AddAsync(Client client, AuditActor actor, CancellationToken cancellationToken = default);
    Task AddManyAsync(IEnumerable<Client> clients, AuditActor actor, CancellationToken cancellationToken = default);
    Task<UpdateOutcome<Client>> UpdateAsync(Client client, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);
}
