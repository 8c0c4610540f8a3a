using LiteDB;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.Clients;

public sealed class LiteDbClientStore : IClientStore, IDisposable, IWarmsUp
{
    private readonly ILiteCollection<ClientDocument> clients;
    private readonly AuditedCollection<Client, ClientDocument> writes;
    private readonly DirectoryRows rows;

    public LiteDbClientStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock)
    {
        clients = database.GetCollection<ClientDocument>("clients");
        writes = new(database, clients, audit, clock, AuditedEntity.Client, ClientDocument.From, d => d.ToClient(),
            c => c.Id, c => c.Version, c => c.Country, (c, id, version) => c with { Id = id, Version = version, Country = CountryCode.Normalise(c.Country) });
        rows = new DirectoryRows(database, "clients", "SortName", "Kind", "LegalForm", "City", "SearchWords");
        writes.Committed = rows.Refresh;
        // Checked inside the write's transaction and edit lock, so two concurrent saves of one VAT number cannot both commit.
        writes.Alongside = (_, after, _) =>
        {
            if (after.VatNumber is { } vat && clients.Exists(c => c.VatNumber == vat && c.Country == after.Country && c.Id != after.Id))
                throw new DuplicateNumberException(nameof(Client.VatNumber));
        };
        DirectorySearch.EnsureSearchIndex(clients);
        clients.EnsureIndex(c => c.Country);
        clients.EnsureIndex(c => c.SortName);
        clients.EnsureIndex(c => c.Kind);
        clients.EnsureIndex(c => c.LegalForm);
        clients.EnsureIndex(c => c.City);
        clients.EnsureIndex(c => c.VatNumber);
    }

    /// <summary>The container disposes the store before the file: a warm-up of its rows still reading stops.</summary>
    public void Dispose() => rows.Stop();

    /// <summary>Starts loading the rows in memory on a background thread: once the app answers (<see cref="RowsWarmUp"/>).</summary>
    public void WarmUp(ILogger logger) => rows.WarmUpInBackground(logger);

    /// <summary>One key read from the primary index, not the rows in memory: start-up asks before they are loaded.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(clients.Query().Exists());

    public Task<SearchResult<Client>> SearchAsync(ClientQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(rows, clients, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, d => d.Id, d => d.ToClient(),
            SearchTotals.KeyOf(query with { Skip = 0, Take = 0, Sort = default, Descending = false })));

    public IAsyncEnumerable<Client> ExportAsync(ClientQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(clients, query.Scope, Filters(query), Order(query.Sort), query.Descending, d => d.ToClient(), cancellationToken);

    public Task<Client?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public Task<IReadOnlyDictionary<int, Client>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<int, Client> found = ids.Count == 0
            ? new Dictionary<int, Client>()
            : clients.Find(StoredFilter.Ids(ids.Distinct())).ToDictionary(d => d.Id, d => d.ToClient());
        return Task.FromResult(found);
    }

    public Task<Client?> FindByVatNumberAsync(string country, string vatNumber, CancellationToken cancellationToken = default)
    {
        country = CountryCode.Normalise(country);
        return Task.FromResult(clients.FindOne(c => c.VatNumber == vatNumber && c.Country == country)?.ToClient());
    }

    public Task<Client> AddAsync(Client client, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([client], actor)[0]);

    public Task AddManyAsync(IEnumerable<Client> clients, AuditActor actor, CancellationToken cancellationToken = default)
    {
        writes.Insert(clients, actor);
        return Task.CompletedTask;
    }

    /// <summary>Bulk-loads generated clients into a fresh store (no audit entry each): see tools/Smart.Volume.</summary>
    public IReadOnlyList<Client> ImportMany(IEnumerable<Client> generated) => writes.InsertBulk(generated).Select(d => d.ToClient()).ToList();

    public Task<UpdateOutcome<Client>> UpdateAsync(Client client, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(client, expectedVersion, actor));

    private static List<BsonExpression> Filters(ClientQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (query.Kind is { } kind) filters.Add(StoredFilter.Equal("Kind", kind.ToString()));
        if (!string.IsNullOrWhiteSpace(query.LegalForm)) filters.Add(StoredFilter.Equal("LegalForm", query.LegalForm));
        filters.AddRange(DirectorySearch.TextFilters(query.Search));
        return filters;
    }

    private static BsonExpression Order(ClientSort sort) => sort switch
    {
        ClientSort.Country => "$.Country + ' ' + $.SortName",
        ClientSort.City => "$.City + ' ' + $.SortName",
        ClientSort.Kind => "$.Kind + ' ' + $.SortName",
        _ => "$.SortName",
    };

    /// <summary>Every client in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<Client> All() => clients.Find(Query.All("_id")).Select(d => d.ToClient());

    private sealed class ClientDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public ClientKind Kind { get; set; }
        public string Name { get; set; } = "";
        public string? LegalForm { get; set; }
        public string? VatNumber { get; set; }
        public string? CompanyNumber { get; set; }
        public string? Address { get; set; }
        public string? City { get; set; }
        public string? Email { get; set; }
        public string? PostalCode { get; set; }
        public string? PeppolScheme { get; set; }
        public string? PeppolId { get; set; }
        public string? CodiceDestinatario { get; set; }
        public string? Pec { get; set; }
        public int Version { get; set; }
        public string SortName { get; set; } = "";
        public List<string> SearchWords { get; set; } = [];

        public static ClientDocument From(Client c) => new()
        {
            Id = c.Id, Country = c.Country, Kind = c.Kind, Name = c.Name, LegalForm = c.LegalForm, VatNumber = c.VatNumber,
            CompanyNumber = c.CompanyNumber, Address = c.Address, City = c.City, Email = c.Email, Version = c.Version,
            PostalCode = c.PostalCode, PeppolScheme = c.PeppolScheme, PeppolId = c.PeppolId, CodiceDestinatario = c.CodiceDestinatario, Pec = c.Pec,
            SortName = Storage.SearchWords.SortKey(c.Name), SearchWords = Storage.SearchWords.Of(c.Name, c.City, c.Email, c.VatNumber, c.CompanyNumber),
        };

        public Client ToClient() => new()
        {
            Id = Id, Country = Country, Kind = Kind, Name = Name, LegalForm = LegalForm, VatNumber = VatNumber,
            CompanyNumber = CompanyNumber, Address = Address, City = City, Email = Email, Version = Version,
            PostalCode = PostalCode, PeppolScheme = PeppolScheme, PeppolId = PeppolId, CodiceDestinatario = CodiceDestinatario, Pec = Pec,
        };
    }
}
