using NpgsqlTypes;
using Npgsql;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Clients;

/// <summary>The clients in the <c>clients</c> table; a VAT number is unique per country by the table's own index.</summary>
public sealed class PostgreSqlClientStore : IClientStore
{
    private readonly PostgreSqlRecords<Client> records;

    /// <summary>The table's writes, for the move from LiteDB (Storage/MoveUp).</summary>
    internal PostgreSqlRecords<Client> Records => records;

    public PostgreSqlClientStore(NpgsqlDataSource dataSource, TimeProvider clock, PostgreSqlCounts? counts = null)
    {
        records = new(dataSource, clock, "clients", AuditedEntity.Client,
            [
                new("vat_number", NpgsqlDbType.Text, c => c.VatNumber),
                new("kind", NpgsqlDbType.Text, c => c.Kind.ToString()),
                new("legal_form", NpgsqlDbType.Text, c => c.LegalForm),
                new("city", NpgsqlDbType.Text, c => c.City),
                new("sort_name", NpgsqlDbType.Text, c => SearchWords.SortKey(c.Name)),
                new("search_words", NpgsqlDbType.Array | NpgsqlDbType.Text, c => Words(c).ToArray()),
                new("search_prefixes", NpgsqlDbType.Array | NpgsqlDbType.Text, c => RecordFilter.Prefixes(Words(c))),
            ],
            c => c.Id, c => c.Version, c => c.Country, (c, id, version) => c with { Id = id, Version = version, Country = CountryCode.Normalise(c.Country) })
        {
            Counts = counts,
            UniqueFields = new Dictionary<string, string> { ["clients_vat_number"] = nameof(Client.VatNumber) },
        };
    }

    private static List<string> Words(Client c) => SearchWords.Of(c.Name, c.City, c.Email, c.VatNumber, c.CompanyNumber);

    public Task<SearchResult<Client>> SearchAsync(ClientQuery query, CancellationToken cancellationToken = default) =>
        records.SearchAsync(Filter(query), Order(query.Sort), query.Descending, query.Skip, query.Take, cancellationToken);

    public IAsyncEnumerable<Client> ExportAsync(ClientQuery query, CancellationToken cancellationToken = default) =>
        records.ExportAsync(Filter(query), Order(query.Sort), query.Descending, cancellationToken);

    public Task<Client?> GetAsync(int id, CancellationToken cancellationToken = default) => records.GetAsync(id, cancellationToken);

    public Task<IReadOnlyDictionary<int, Client>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default) =>
        records.GetManyAsync(ids, cancellationToken);

    public Task<Client?> FindByVatNumberAsync(string country, string vatNumber, CancellationToken cancellationToken = default) =>
        records.FindAsync("country = @country and vat_number = @value", country, vatNumber, cancellationToken);

    public async Task<Client> AddAsync(Client client, AuditActor actor, CancellationToken cancellationToken = default) =>
        (await records.InsertAsync([client], actor, cancellationToken))[0];

    public Task AddManyAsync(IEnumerable<Client> clients, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.InsertAsync(clients, actor, cancellationToken);

    public Task<UpdateOutcome<Client>> UpdateAsync(Client client, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.UpdateAsync(client, expectedVersion, actor, cancellationToken);

    private static RecordFilter Filter(ClientQuery query)
    {
        var filter = new RecordFilter(query.Scope);
        if (!string.IsNullOrWhiteSpace(query.Country)) filter.Add("country = {0}", CountryCode.Normalise(query.Country));
        if (query.Kind is { } kind) filter.Add("kind = {0}", kind.ToString());
        if (!string.IsNullOrWhiteSpace(query.LegalForm)) filter.Add("legal_form = {0}", query.LegalForm);
        return filter.Words(query.Search);
    }

    private static string Order(ClientSort sort) => sort switch
    {
        ClientSort.Country => "country, sort_name",
        ClientSort.City => "city, sort_name",
        ClientSort.Kind => "kind, sort_name",
        _ => "sort_name",
    };
}
