using System.Globalization;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>The client and production unit stores' contract, run on both stores.</summary>
public abstract class ClientAndProductionUnitStoreContract
{
    protected abstract Task<IDirectoryStores> OpenAsync();

    private static Client Business(string country, string name, string? vat = null, string? city = null) => new()
    {
        Country = country, Kind = ClientKind.Business, Name = name, LegalForm = "SRL", VatNumber = vat, City = city,
    };

    [Fact]
    public async Task Clients_are_found_by_name_city_or_VAT_number_within_their_scope()
    {
        await using var store = await OpenAsync();
        await store.Clients.AddManyAsync([
            Business("BE", "Théâtre de la Monnaie", "BE0403192188", "1000 Bruxelles"),
            Business("BE", "Brasserie Lumière", "BE0123456749", "4000 Liège"),
            Business("FR", "Théâtre des Lilas", "FR40303265045", "75011 Paris"),
        ], TemporaryStore.Adviser);

        var theatres = await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Search = "theatre" });
        Assert.Equal(2, theatres.Total);
        Assert.Equal(["Théâtre de la Monnaie"], (await store.Clients.SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Search = "théâ" })).Rows.Select(c => c.Name));
        Assert.Equal(["Brasserie Lumière"], (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Search = "liege" })).Rows.Select(c => c.Name));
        Assert.Equal(["Théâtre de la Monnaie"], (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Search = "be0403" })).Rows.Select(c => c.Name));
        Assert.Empty((await store.Clients.SearchAsync(new ClientQuery(CountryScope.Only("FR")) { Search = "be0403" })).Rows);
        Assert.Equal("Brasserie Lumière", (await store.Clients.FindByVatNumberAsync("BE", "BE0123456749"))?.Name);
        Assert.Null(await store.Clients.FindByVatNumberAsync("FR", "BE0123456749"));
    }

    [Fact]
    public async Task Two_concurrent_adds_of_one_VAT_number_store_one_client()
    {
        await using var store = await OpenAsync();
        var adds = Enumerable.Range(0, 2).Select(i => Task.Run(() => store.Clients.AddAsync(Business("BE", $"Twin {i}", "BE0403192188"), TemporaryStore.Adviser))).ToList();
        var stored = 0;
        foreach (var add in adds)
        {
            try { await add; stored++; }
            catch (DuplicateNumberException e) { Assert.Equal(nameof(Client.VatNumber), e.Field); }
        }

        Assert.Equal(1, stored);
        Assert.Equal(1, (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Search = "twin" })).Total);
    }

    [Fact]
    public async Task Clients_filter_by_kind_and_sort_by_city()
    {
        await using var store = await OpenAsync();
        await store.Clients.AddManyAsync([
            Business("BE", "Zèbre", city: "1000 Bruxelles"),
            Business("BE", "Atelier", city: "9000 Gent"),
            new Client { Country = "BE", Kind = ClientKind.Individual, Name = "Marie Peeters", City = "2000 Antwerpen" },
        ], TemporaryStore.Adviser);

        Assert.Equal(["Marie Peeters"], (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Kind = ClientKind.Individual })).Rows.Select(c => c.Name));
        Assert.Equal(["9000 Gent", "2000 Antwerpen", "1000 Bruxelles"],
            (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Sort = ClientSort.City, Descending = true })).Rows.Select(c => c.City));
    }

    [Fact]
    public async Task A_stale_client_edit_is_refused_and_a_good_one_audited()
    {
        await using var store = await OpenAsync();
        var client = await store.Clients.AddAsync(Business("BE", "Galerie Horizon", "BE0403192188"), TemporaryStore.Adviser);
        var saved = await store.Clients.UpdateAsync(client with { LegalForm = "SA" }, client.Version, TemporaryStore.Adviser);
        Assert.True(saved.Updated);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.Clients.UpdateAsync(client with { Name = "Old form" }, client.Version, TemporaryStore.Adviser)).Status);

        var history = await store.Audit.ForEntityAsync(AuditedEntity.Client, client.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([new AuditChange("LegalForm", "SRL", "SA")], history[0].Changes);
    }

    [Fact]
    public async Task Production_units_filter_by_owner_status_and_scope_and_sort_by_budget()
    {
        await using var store = await OpenAsync();
        var owner = await store.Members.AddAsync(MemberStoreContract.Someone("BE", "Ann", "Owner"), TemporaryStore.Adviser);
        await store.ProductionUnits.AddManyAsync([
            new ProductionUnit { Country = "BE", Name = "Atelier Owner", MemberId = owner.Id, Sector = MemberSectors.Music, OpeningBalance = 1200.50m, Created = new DateOnly(2024, 3, 1) },
            new ProductionUnit { Country = "BE", Name = "Studio Ann Owner", MemberId = owner.Id, Sector = MemberSectors.Music, OpeningBalance = 99.99m, Status = ProductionUnitStatus.Closed },
            new ProductionUnit { Country = "FR", Name = "Atelier Martin", MemberId = owner.Id + 1, Sector = MemberSectors.Music, OpeningBalance = 5000m },
        ], TemporaryStore.Adviser);

        var owned = await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.All) { MemberId = owner.Id, Sort = ProductionUnitSort.AvailableBudget });
        Assert.Equal([99.99m, 1200.50m], owned.Rows.Select(u => u.AvailableBudget));
        Assert.Equal(["Studio Ann Owner"], (await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.All) { Status = ProductionUnitStatus.Closed })).Rows.Select(u => u.Name));
        Assert.Equal(["Atelier Owner"], (await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Search = "atel" })).Rows.Select(u => u.Name));
        Assert.Equal(new DateOnly(2024, 3, 1), owned.Rows[1].Created);

        var names = await store.Members.GetManyAsync([owner.Id, 12345]);
        Assert.Equal("Ann Owner", Assert.Single(names).Value.Name);
    }

    [Fact]
    public async Task The_audit_log_lists_a_countrys_changes_newest_first_and_only_that_country()
    {
        await using var store = await OpenAsync();
        var belgian = await store.Clients.AddAsync(Business("BE", "Belgian client"), TemporaryStore.Adviser);
        await store.Clients.AddAsync(Business("FR", "French client"), TemporaryStore.Adviser);
        await store.Clients.UpdateAsync(belgian with { City = "7000 Mons" }, 1, TemporaryStore.Adviser);

        var log = await store.Audit.ForCountryAsync("be");
        Assert.Equal(2, log.Total);
        Assert.Equal([AuditAction.Update, AuditAction.Create], log.Rows.Select(e => e.Action));
        Assert.All(log.Rows, e => Assert.Equal("BE", e.Country));
        Assert.Equal(AuditAction.Create, Assert.Single((await store.Audit.ForCountryAsync("BE", skip: 1, take: 5)).Rows).Action);
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbClientAndProductionUnitStoreTests : ClientAndProductionUnitStoreContract
{
    protected override Task<IDirectoryStores> OpenAsync() => Task.FromResult<IDirectoryStores>(new TemporaryStore());

    /// <summary>
    /// The list sorted by available budget is answered from the rows in memory, like every other order: a ledger entry written in another
    /// store's transaction moves its unit there once it commits, and one rolled back moves nothing.
    /// </summary>
    [Fact]
    public async Task Units_sorted_by_available_budget_follow_the_ledger_once_its_entries_commit()
    {
        using var store = new TemporaryStore();
        var ledger = new Smart.Web.Budget.LiteDbLedgerStore(store.Database, TimeProvider.System);
        using var units = new LiteDbProductionUnitStore(store.Database, store.Audit, TimeProvider.System, ledger);
        var owner = await store.Members.AddAsync(MemberStoreContract.Someone("BE", "Ann", "Owner"), TemporaryStore.Adviser);
        var added = new List<int>();
        foreach (var (name, opening) in new[] { ("Low", 100m), ("Middle", 200m), ("High", 300m) })
            added.Add((await units.AddAsync(new ProductionUnit { Country = "BE", Name = name, MemberId = owner.Id, Sector = MemberSectors.Music, OpeningBalance = opening },
                TemporaryStore.Adviser)).Id);
        var query = new ProductionUnitQuery(CountryScope.All) { Sort = ProductionUnitSort.AvailableBudget };
        Assert.Equal(["Low", "Middle", "High"], (await units.SearchAsync(query)).Rows.Select(u => u.Name));

        Smart.Web.Budget.LedgerEntry Adjustment(int unitId, decimal amount, int sourceId) => new()
        {
            ProductionUnitId = unitId, Country = "BE", Date = new DateOnly(2026, 3, 1), Kind = Smart.Web.Budget.LedgerEntryKind.Adjustment, Amount = amount,
            SourceKind = Smart.Web.Budget.LedgerSource.Adjustment, SourceId = sourceId, WrittenBy = "test", Reason = "test",
        };
        await ledger.AppendAsync([Adjustment(added[0], 500m, 1)]);
        Assert.Throws<InvalidOperationException>(() => store.Database.InTransaction<int>(new Lock(), () =>
        {
            ledger.WriteWithin([Adjustment(added[1], 1000m, 2)]);
            throw new InvalidOperationException("rolled back");
        }));

        var sorted = (await units.SearchAsync(query)).Rows;
        Assert.Equal(["Middle", "High", "Low"], sorted.Select(u => u.Name));
        foreach (var unit in sorted) Assert.Equal((await ledger.TotalsAsync(unit.Id)).Available, unit.AvailableBudget);
        Assert.Equal([600m, 300m, 200m], (await units.SearchAsync(query with { Descending = true })).Rows.Select(u => u.AvailableBudget));
    }
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlClientAndProductionUnitStoreTests : ClientAndProductionUnitStoreContract
{
    protected override async Task<IDirectoryStores> OpenAsync() => await PostgreSqlDirectory.OpenAsync();
}
