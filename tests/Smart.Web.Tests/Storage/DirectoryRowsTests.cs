using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>
/// The directory lists answered from rows in memory: the same rows, order and totals as LiteDB's own query (still what an export runs),
/// and kept current by every write.
/// </summary>
[Trait("Store", "Chosen")]
public class DirectoryRowsTests
{
    private static readonly string[] FirstNames = ["Marie", "Hélène", "Jean-Marc", "Zoé", "Émile", "anna", "Bruno", "Maria", "Luc", "Ærø"];
    private static readonly string[] LastNames = ["Dubois", "Martin", "Peeters", "Lefèvre", "Maes", "Janssens", "Martini", "De Smet"];
    private static readonly string[] Countries = ["BE", "FR", "IT"];

    /// <summary>Every name once (first, last and a number), so each order has no tie and two queries must agree row for row.</summary>
    private static IEnumerable<Member> Directory() =>
        Enumerable.Range(0, 160).Select(i => MemberStoreContract.Someone(Countries[i % 3], FirstNames[i % FirstNames.Length], $"{LastNames[i / 20 % LastNames.Length]} {i:000}",
                sector: i % 4 == 0 ? MemberSectors.Music : MemberSectors.All[i % MemberSectors.All.Count], office: i % 2 == 0 ? "Brussels" : "Ghent")
            with
        { MemberSince = new DateOnly(2000, 1, 1).AddDays(i * 37), Active = i % 5 != 0, AuthorRightsYearToDate = i * 50m });

    private static async Task<List<Member>> ExportedAsync(IMemberStore members, MemberQuery query)
    {
        var all = new List<Member>();
        await foreach (var member in members.ExportAsync(query)) all.Add(member);
        return all;
    }

    public static TheoryData<string?, string?, bool?, MemberSort, bool> Searches => new()
    {
        { null, null, null, MemberSort.Name, false },
        { "mar", null, null, MemberSort.Name, false },
        { "MAR dub", null, null, MemberSort.Country, true },
        { "hel", "FR", null, MemberSort.Sector, false },
        { null, null, true, MemberSort.Office, true },
        { "0", "IT", false, MemberSort.MemberSince, false },
        { "aero", null, null, MemberSort.Name, true },
        { "nobody", null, null, MemberSort.Name, false },
    };

    [Theory]
    [MemberData(nameof(Searches))]
    public async Task A_member_search_answers_the_rows_order_and_total_LiteDB_answers(string? search, string? country, bool? active, MemberSort sort, bool descending)
    {
        using var store = new TemporaryStore();
        await store.Members.AddManyAsync(Directory(), TemporaryStore.Adviser);
        foreach (var scope in new[] { CountryScope.All, CountryScope.Only("BE", "IT") })
        {
            var query = new MemberQuery(scope) { Search = search, Country = country, Active = active, Sort = sort, Descending = descending, AuthorRightsAtLeast = 500m };
            var expected = (await ExportedAsync(store.Members, query)).Select(m => m.Id).ToList();

            var firstPage = await store.Members.SearchAsync(query with { Take = 7 });
            var secondPage = await store.Members.SearchAsync(query with { Skip = 7, Take = 7 });
            Assert.Equal(expected.Take(14), firstPage.Rows.Concat(secondPage.Rows).Select(m => m.Id));
            Assert.Equal(expected.Count, firstPage.Total);
            Assert.Equal(expected.Count, (await store.Members.SearchAsync(query with { Take = 0 })).Total);
        }
    }

    /// <summary>
    /// The rows are loaded a range of ids at a time (2,000): a store opened on a file holding more finds every row once, the ones at the
    /// ranges' edges included, with the totals LiteDB's own count gives.
    /// </summary>
    [Fact]
    public async Task Rows_loaded_in_ranges_of_ids_are_each_there_once()
    {
        using var store = new TemporaryStore();
        await store.Members.AddManyAsync(Enumerable.Range(0, 4_100).Select(i => MemberStoreContract.Someone(Countries[i % 3], "Range", $"R{i:00000}")
            with
        { Active = i % 2 == 0 }), TemporaryStore.Adviser);
        store.File.Dispose();
        using var reopened = new LiteDbFile(store.DataDirectory);
        var members = new LiteDbMemberStore(reopened.Database, new LiteDbAuditLog(reopened.Database), TimeProvider.System);
        var stored = reopened.Database.GetCollection("members");
        var all = new MemberQuery(CountryScope.All) { Take = 0 };

        Assert.Equal(4_100, (await members.SearchAsync(all)).Total);
        Assert.Equal(stored.Count("$.Active = true"), (await members.SearchAsync(all with { Active = true })).Total);
        Assert.Equal(stored.Count("$.Country = 'IT'"), (await members.SearchAsync(new MemberQuery(CountryScope.Only("IT")) { Take = 0 })).Total);
        foreach (var id in new[] { 1, 1_999, 2_000, 2_001, 3_999, 4_000, 4_001, 4_100 })
        {
            var name = stored.FindById(id)["LastName"].AsString;
            Assert.Equal([id], (await members.SearchAsync(new MemberQuery(CountryScope.All) { Search = name, Take = 10 })).Rows.Select(m => m.Id));
        }
    }

    [Fact]
    public async Task A_write_shows_at_once_in_searches_and_counts_and_after_a_restart()
    {
        using var store = new TemporaryStore();
        await store.Members.AddManyAsync(Directory(), TemporaryStore.Adviser);
        var belgium = new MemberQuery(CountryScope.Only("BE")) { Take = 0 };
        var before = (await store.Members.SearchAsync(belgium)).Total;
        Assert.Empty((await store.Members.SearchAsync(new MemberQuery(CountryScope.All) { Search = "zanzibar" })).Rows);

        var added = await store.Members.AddAsync(MemberStoreContract.Someone("BE", "Zanzibar", "Nouveau"), TemporaryStore.Adviser);
        Assert.Equal(before + 1, (await store.Members.SearchAsync(belgium)).Total);
        Assert.Equal([added.Id], (await store.Members.SearchAsync(new MemberQuery(CountryScope.All) { Search = "zanz" })).Rows.Select(m => m.Id));

        // Renamed and moved to France: found by the new name only, counted in France only.
        var moved = await store.Members.UpdateAsync(added with { LastName = "Quintessence", Email = "z.q@example.org", Country = "FR" }, added.Version, TemporaryStore.Adviser);
        Assert.True(moved.Updated);
        Assert.Equal(before, (await store.Members.SearchAsync(belgium)).Total);
        Assert.Empty((await store.Members.SearchAsync(new MemberQuery(CountryScope.All) { Search = "nouveau" })).Rows);
        Assert.Equal([added.Id], (await store.Members.SearchAsync(new MemberQuery(CountryScope.Only("FR")) { Search = "quint" })).Rows.Select(m => m.Id));

        // A unit and a client: counted as soon as written.
        var units = (await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Take = 0 })).Total;
        await store.ProductionUnits.AddAsync(new ProductionUnit { Country = "BE", Name = "Atelier Zanzibar", Sector = MemberSectors.Music, MemberId = added.Id }, TemporaryStore.Adviser);
        Assert.Equal(units + 1, (await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Take = 0 })).Total);
        Assert.Single((await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.All) { Search = "zanz" })).Rows);
        await store.Clients.AddAsync(new Client { Country = "IT", Name = "Zanzibar SRL", City = "Roma" }, TemporaryStore.Adviser);
        Assert.Equal(["Zanzibar SRL"], (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Search = "roma" })).Rows.Select(c => c.Name));

        // A store opened again on the same file reads the same rows.
        store.File.Dispose();
        using var reopened = new LiteDbFile(store.DataDirectory);
        var members = new LiteDbMemberStore(reopened.Database, new LiteDbAuditLog(reopened.Database), TimeProvider.System);
        Assert.Equal(before, (await members.SearchAsync(belgium)).Total);
        Assert.Equal([added.Id], (await members.SearchAsync(new MemberQuery(CountryScope.All) { Search = "quint" })).Rows.Select(m => m.Id));
    }
}
