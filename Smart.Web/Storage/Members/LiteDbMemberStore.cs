using LiteDB;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.Members;

public sealed class LiteDbMemberStore : IMemberStore, IDisposable, IWarmsUp
{
    private readonly ILiteCollection<MemberDocument> members;
    private readonly AuditedCollection<Member, MemberDocument> writes;
    private readonly DirectoryRows rows;

    public LiteDbMemberStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock)
    {
        members = database.GetCollection<MemberDocument>("members");
        writes = new(database, members, audit, clock, AuditedEntity.Member, MemberDocument.From, d => d.ToMember(),
            m => m.Id, m => m.Version, m => m.Country, (m, id, version) => m with { Id = id, Version = version, Country = CountryCode.Normalise(m.Country) });
        rows = new DirectoryRows(database, "members", "SortName", "Sector", "Office", "MemberSince", "Active", "AuthorRightsYearToDate", "SearchWords");
        writes.Committed = rows.Refresh;
        // Checked inside the write's transaction and edit lock, so two concurrent saves of one national number cannot both commit.
        writes.Alongside = (_, after, _) =>
        {
            if (after.NationalNumber is { } number && members.Exists(m => m.NationalNumber == number && m.Country == after.Country && m.Id != after.Id))
                throw new DuplicateNumberException(nameof(Member.NationalNumber));
        };
        DirectorySearch.EnsureSearchIndex(members);
        members.EnsureIndex(m => m.Country);
        members.EnsureIndex(m => m.SortName);
        members.EnsureIndex(m => m.Sector);
        members.EnsureIndex(m => m.Office);
        members.EnsureIndex(m => m.MemberSince);
        members.EnsureIndex(m => m.NationalNumber);
    }

    /// <summary>The container disposes the store before the file: a warm-up of its rows still reading stops.</summary>
    public void Dispose() => rows.Stop();

    /// <summary>Starts loading the rows in memory on a background thread: once the app answers (<see cref="RowsWarmUp"/>).</summary>
    public void WarmUp(ILogger logger) => rows.WarmUpInBackground(logger);

    /// <summary>One key read from the primary index, not the rows in memory: start-up asks before they are loaded.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(members.Query().Exists());

    public Task<SearchResult<Member>> SearchAsync(MemberQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(rows, members, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, d => d.Id, d => d.ToMember(),
            SearchTotals.KeyOf(query with { Skip = 0, Take = 0, Sort = default, Descending = false })));

    public IAsyncEnumerable<Member> ExportAsync(MemberQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(members, query.Scope, Filters(query), Order(query.Sort), query.Descending, d => d.ToMember(), cancellationToken);

    public Task<Member?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Get(id));

    public Task<IReadOnlyDictionary<int, Member>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<int, Member> found = ids.Count == 0
            ? new Dictionary<int, Member>()
            : members.Find(StoredFilter.Ids(ids.Distinct())).ToDictionary(d => d.Id, d => d.ToMember());
        return Task.FromResult(found);
    }

    public Task<Member?> FindByNationalNumberAsync(string country, string nationalNumber, CancellationToken cancellationToken = default)
    {
        country = CountryCode.Normalise(country);
        return Task.FromResult(members.FindOne(m => m.NationalNumber == nationalNumber && m.Country == country)?.ToMember());
    }

    public Task<Member> AddAsync(Member member, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([member], actor)[0]);

    public Task AddManyAsync(IEnumerable<Member> members, AuditActor actor, CancellationToken cancellationToken = default)
    {
        writes.Insert(members, actor);
        return Task.CompletedTask;
    }

    /// <summary>Bulk-loads generated members into a fresh store (no audit entry each): see tools/Smart.Volume.</summary>
    public IReadOnlyList<Member> ImportMany(IEnumerable<Member> generated) => writes.InsertBulk(generated).Select(d => d.ToMember()).ToList();

    public Task<UpdateOutcome<Member>> UpdateAsync(Member member, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(member, expectedVersion, actor));

    private static List<BsonExpression> Filters(MemberQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (!string.IsNullOrWhiteSpace(query.Sector)) filters.Add(StoredFilter.Equal("Sector", query.Sector));
        if (!string.IsNullOrWhiteSpace(query.Office)) filters.Add(StoredFilter.Equal("Office", query.Office));
        if (query.Active is { } active) filters.Add(StoredFilter.Equal("Active", active));
        if (query.AuthorRightsAtLeast is { } atLeast) filters.Add(StoredFilter.AtLeast("AuthorRightsYearToDate", atLeast));
        filters.AddRange(DirectorySearch.TextFilters(query.Search));
        return filters;
    }

    private static BsonExpression Order(MemberSort sort) => sort switch
    {
        MemberSort.Country => "$.Country + ' ' + $.SortName",
        MemberSort.Sector => "$.Sector + ' ' + $.SortName",
        MemberSort.Office => "$.Office + ' ' + $.SortName",
        MemberSort.MemberSince => "$.MemberSince",
        _ => "$.SortName",
    };

    /// <summary>The stored shape: the member plus the words and sort key it is searched and listed by.</summary>
    /// <summary>Every member in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<Member> All() => members.Find(Query.All("_id")).Select(d => d.ToMember());

    private sealed class MemberDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public string FirstName { get; set; } = "";
        public string LastName { get; set; } = "";
        public string Email { get; set; } = "";
        public string? NationalNumber { get; set; }
        public DateTime BirthDate { get; set; }
        public string Sector { get; set; } = "";
        public string Office { get; set; } = "";
        public DateTime MemberSince { get; set; }
        public decimal AuthorRightsYearToDate { get; set; }
        public decimal ProfessionalIncomeYearToDate { get; set; }
        public bool HasArtistAttestation { get; set; }
        public string? Language { get; set; }
        public bool Active { get; set; }
        public int Version { get; set; }
        public string SortName { get; set; } = "";
        public List<string> SearchWords { get; set; } = [];

        public static MemberDocument From(Member m) => new()
        {
            Id = m.Id, Country = m.Country, FirstName = m.FirstName, LastName = m.LastName, Email = m.Email, NationalNumber = m.NationalNumber,
            BirthDate = m.BirthDate.ToStored(), Sector = m.Sector, Office = m.Office, MemberSince = m.MemberSince.ToStored(),
            AuthorRightsYearToDate = m.AuthorRightsYearToDate, ProfessionalIncomeYearToDate = m.ProfessionalIncomeYearToDate, HasArtistAttestation = m.HasArtistAttestation, Language = m.Language, Active = m.Active, Version = m.Version,
            SortName = Storage.SearchWords.SortKey(m.LastName, m.FirstName),
            SearchWords = Storage.SearchWords.Of(m.FirstName, m.LastName, m.Email, m.NationalNumber, m.Office),
        };

        public Member ToMember() => new()
        {
            Id = Id, Country = Country, FirstName = FirstName, LastName = LastName, Email = Email, NationalNumber = NationalNumber,
            BirthDate = BirthDate.ToDate(), Sector = Sector, Office = Office, MemberSince = MemberSince.ToDate(),
            AuthorRightsYearToDate = AuthorRightsYearToDate, ProfessionalIncomeYearToDate = ProfessionalIncomeYearToDate, HasArtistAttestation = HasArtistAttestation, Language = Language, Active = Active, Version = Version,
        };
    }
}
