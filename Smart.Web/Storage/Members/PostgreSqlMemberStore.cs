using NpgsqlTypes;
using Npgsql;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Members;

/// <summary>The members in the <c>members</c> table; a national number is unique per country by the table's own index.</summary>
public sealed class PostgreSqlMemberStore : IMemberStore
{
    private readonly PostgreSqlRecords<Member> records;

    /// <summary>The table's writes, for the move from LiteDB (Storage/MoveUp).</summary>
    internal PostgreSqlRecords<Member> Records => records;

    public PostgreSqlMemberStore(NpgsqlDataSource dataSource, TimeProvider clock, PostgreSqlCounts? counts = null)
    {
        records = new(dataSource, clock, "members", AuditedEntity.Member,
            [
                new("national_number", NpgsqlDbType.Text, m => m.NationalNumber),
                new("sort_name", NpgsqlDbType.Text, m => SearchWords.SortKey(m.LastName, m.FirstName)),
                new("sector", NpgsqlDbType.Text, m => m.Sector),
                new("office", NpgsqlDbType.Text, m => m.Office),
                new("member_since", NpgsqlDbType.Date, m => m.MemberSince),
                new("active", NpgsqlDbType.Boolean, m => m.Active),
                new("author_rights_year_to_date", NpgsqlDbType.Numeric, m => m.AuthorRightsYearToDate),
                new("search_words", NpgsqlDbType.Array | NpgsqlDbType.Text, m => Words(m).ToArray()),
                new("search_prefixes", NpgsqlDbType.Array | NpgsqlDbType.Text, m => RecordFilter.Prefixes(Words(m))),
            ],
            m => m.Id, m => m.Version, m => m.Country, (m, id, version) => m with { Id = id, Version = version, Country = CountryCode.Normalise(m.Country) })
        {
            Counts = counts,
            UniqueFields = new Dictionary<string, string> { ["members_national_number"] = nameof(Member.NationalNumber) },
        };
    }

    private static List<string> Words(Member m) => SearchWords.Of(m.FirstName, m.LastName, m.Email, m.NationalNumber, m.Office);

    public Task<SearchResult<Member>> SearchAsync(MemberQuery query, CancellationToken cancellationToken = default) =>
        records.SearchAsync(Filter(query), Order(query.Sort), query.Descending, query.Skip, query.Take, cancellationToken);

    public IAsyncEnumerable<Member> ExportAsync(MemberQuery query, CancellationToken cancellationToken = default) =>
        records.ExportAsync(Filter(query), Order(query.Sort), query.Descending, cancellationToken);

    public Task<Member?> GetAsync(int id, CancellationToken cancellationToken = default) => records.GetAsync(id, cancellationToken);

    public Task<IReadOnlyDictionary<int, Member>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default) =>
        records.GetManyAsync(ids, cancellationToken);

    public Task<Member?> FindByNationalNumberAsync(string country, string nationalNumber, CancellationToken cancellationToken = default) =>
        records.FindAsync("country = @country and national_number = @value", country, nationalNumber, cancellationToken);

    public async Task<Member> AddAsync(Member member, AuditActor actor, CancellationToken cancellationToken = default) =>
        (await records.InsertAsync([member], actor, cancellationToken))[0];

    public Task AddManyAsync(IEnumerable<Member> members, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.InsertAsync(members, actor, cancellationToken);

    public Task<UpdateOutcome<Member>> UpdateAsync(Member member, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.UpdateAsync(member, expectedVersion, actor, cancellationToken);

    private static RecordFilter Filter(MemberQuery query)
    {
        var filter = new RecordFilter(query.Scope);
        if (!string.IsNullOrWhiteSpace(query.Country)) filter.Add("country = {0}", CountryCode.Normalise(query.Country));
        if (!string.IsNullOrWhiteSpace(query.Sector)) filter.Add("sector = {0}", query.Sector);
        if (!string.IsNullOrWhiteSpace(query.Office)) filter.Add("office = {0}", query.Office);
        if (query.Active is { } active) filter.Add("active = {0}", active);
        if (query.AuthorRightsAtLeast is { } atLeast) filter.Add("author_rights_year_to_date >= {0}", atLeast);
        return filter.Words(query.Search);
    }

    private static string Order(MemberSort sort) => sort switch
    {
        MemberSort.Country => "country, sort_name",
        MemberSort.Sector => "sector, sort_name",
        MemberSort.Office => "office, sort_name",
        MemberSort.MemberSince => "member_since",
        _ => "sort_name",
    };
}
