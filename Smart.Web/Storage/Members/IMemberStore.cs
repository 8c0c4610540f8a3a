using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.Members;

public enum MemberSort
{
    Name,
    Country,
    Sector,
    Office,
    MemberSince,
}

/// <summary>A member search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record MemberQuery(CountryScope Scope)
{
    /// <summary>Words each matching the start of a name, e-mail, national number or office word, accents and case ignored.</summary>
    public string? Search { get; init; }
    public string? Country { get; init; }
    public string? Sector { get; init; }
    public string? Office { get; init; }
    public bool? Active { get; init; }
    /// <summary>Only members whose author-rights income this year is at least this amount (those nearing the annual ceiling).</summary>
    public decimal? AuthorRightsAtLeast { get; init; }
    public MemberSort Sort { get; init; } = MemberSort.Name;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>
/// The members. Searches are scoped by the query's countries; <see cref="GetAsync"/> is not, so a handler checks the
/// member's country before showing it. Add and update write the audit log with the acting user.
/// </summary>
public interface IMemberStore
{
    Task<SearchResult<Member>> SearchAsync(MemberQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the store holds any record, whatever its country: what the demo seeds ask at start-up. A store whose search answers from
    /// rows in memory answers this without them, so start-up never waits for a year's rows to load.
    /// </summary>
    async Task<bool> AnyAsync(CancellationToken cancellationToken = default) => (await SearchAsync(new MemberQuery(CountryScope.All) { Take = 0 }, cancellationToken)).Total > 0;


    /// <summary>Every row the query matches, ignoring its paging, read in batches so a long export never holds the store.</summary>
    IAsyncEnumerable<Member> ExportAsync(MemberQuery query, CancellationToken cancellationToken = default);

    Task<Member?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The members among these ids that exist, by id (for lists that show a member's name beside a production unit).</summary>
    Task<IReadOnlyDictionary<int, Member>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default);

    /// <summary>The member of a country holding this personal number, if any: for refusing a duplicate.</summary>
    Task<Member?> FindByNationalNumberAsync(string country, string nationalNumber, CancellationToken cancellationToken = default);

    /// <summary>Stores a new member and returns it with its id and version 1.</summary>
    Task<Member> AddAsync(Member member, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Stores many new members in one transaction (imports, demo data), each audited.</summary>
    Task AddManyAsync(IEnumerable<Member> members, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces the member <paramref name="member"/>.Id if its stored version is still <paramref name="expectedVersion"/>; its own Version is ignored.</summary>
    Task<UpdateOutcome<Member>> UpdateAsync(Member member, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);
}
