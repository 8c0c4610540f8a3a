using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Demo;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

public class DirectoryDemoSeedTests
{
    private static readonly string[] Countries = ["BE", "FR", "IT", "SE", "DE", "AT", "NL", "ES"];
    private static readonly Lazy<RuleBook> Rules = new(() =>
        RuleBook.Load(Path.Combine(Repo.Root, "rules"), PluginCatalog.Load(Path.Combine(Repo.Root, "artifacts", "plugins"))));

    private static DirectoryDemoSeed SeedOn(TemporaryStore store) =>
        new(store.Members, store.ProductionUnits, store.Clients, Rules.Value, NullLogger<DirectoryDemoSeed>.Instance);

    private static async Task<List<T>> AllAsync<T>(IAsyncEnumerable<T> rows)
    {
        var list = new List<T>();
        await foreach (var row in rows) list.Add(row);
        return list;
    }

    [Fact]
    public async Task Every_country_gets_members_production_units_and_clients_Belgium_the_most()
    {
        using var store = new TemporaryStore();
        Assert.True(await SeedOn(store).SeedAsync());

        foreach (var country in Countries)
        {
            var scope = CountryScope.Only(country);
            Assert.True((await store.Members.SearchAsync(new MemberQuery(scope))).Total >= 20, country);
            Assert.True((await store.ProductionUnits.SearchAsync(new ProductionUnitQuery(scope))).Total >= 20, country);
            Assert.True((await store.Clients.SearchAsync(new ClientQuery(scope))).Total >= 20, country);
        }
        var belgians = await AllAsync(store.Members.ExportAsync(new MemberQuery(CountryScope.Only("BE"))));
        Assert.Equal(300, belgians.Count);
        Assert.Equal(400, (await store.Clients.SearchAsync(new ClientQuery(CountryScope.Only("BE")))).Total);
        Assert.Equal("Brussels", belgians.GroupBy(m => m.Office).MaxBy(g => g.Count())!.Key);
        Assert.True(belgians.Count(m => m.AuthorRightsYearToDate is >= 60_000m and <= 75_000m) >= 10);
        Assert.All(belgians, m => Assert.True(MemberSectors.IsKnown(m.Sector), m.Sector));
    }

    [Fact]
    public async Task Every_seeded_identifier_passes_its_country_plugins_validator()
    {
        using var store = new TemporaryStore();
        await SeedOn(store).SeedAsync();

        foreach (var country in Countries)
        {
            var validators = Rules.Value.Plugins.Find(country)!.Plugin.Validators;
            var members = await AllAsync(store.Members.ExportAsync(new MemberQuery(CountryScope.Only(country))));
            var clients = await AllAsync(store.Clients.ExportAsync(new ClientQuery(CountryScope.Only(country))));
            if (validators.TryGetValue(IdentifierKind.PersonalNumber, out var personal))
            {
                Assert.All(members, m => Assert.True(personal.Check(m.NationalNumber!).IsValid, $"{country} personal number {m.NationalNumber}"));
                Assert.Equal(members.Count, members.Select(m => m.NationalNumber).Distinct().Count());
            }
            else
            {
                Assert.All(members, m => Assert.Null(m.NationalNumber));
            }

            var businesses = clients.Where(c => c.Kind != ClientKind.Individual).ToList();
            Assert.NotEmpty(businesses);
            Assert.Contains(clients, c => c.VatNumber is not null);
            Assert.All(clients.Where(c => c.VatNumber is not null), c => Assert.True(validators[IdentifierKind.VatNumber].Check(c.VatNumber!).IsValid, $"{country} VAT {c.VatNumber}"));
            Assert.All(clients.Where(c => c.CompanyNumber is not null), c => Assert.True(validators[IdentifierKind.CompanyNumber].Check(c.CompanyNumber!).IsValid, $"{country} company {c.CompanyNumber}"));

            var legalForms = Rules.Value.Find(country, Topics.LegalForms, new DateOnly(2026, 1, 1))!.File.Entries.Select(e => e.Code).ToHashSet();
            Assert.All(businesses, c => Assert.Contains(c.LegalForm!, legalForms));
            Assert.All(clients.Where(c => c.Kind == ClientKind.Individual), c => Assert.Null(c.LegalForm));
        }
    }

    [Fact]
    public async Task A_Belgian_members_national_number_starts_with_the_birth_date()
    {
        using var store = new TemporaryStore();
        await SeedOn(store).SeedAsync();
        var member = (await store.Members.SearchAsync(new MemberQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        Assert.StartsWith(member.BirthDate.ToString("yy.MM.dd", System.Globalization.CultureInfo.InvariantCulture), member.NationalNumber);
    }

    /// <summary>The seed asks each store whether it holds anything (not a search, which would wait for the rows): one client is enough.</summary>
    [Fact]
    public async Task A_directory_holding_only_a_client_is_not_seeded()
    {
        using var store = new TemporaryStore();
        Assert.False(await store.Members.AnyAsync());
        Assert.False(await store.ProductionUnits.AnyAsync());
        Assert.False(await store.Clients.AnyAsync());
        await store.Clients.AddAsync(new Client { Country = "IT", Name = "Solo SRL", City = "Roma" }, TemporaryStore.Adviser);
        Assert.True(await store.Clients.AnyAsync());

        Assert.False(await SeedOn(store).SeedAsync());
        Assert.Equal(0, (await store.Members.SearchAsync(new MemberQuery(CountryScope.All) { Take = 0 })).Total);
        Assert.Equal(1, (await store.Clients.SearchAsync(new ClientQuery(CountryScope.All) { Take = 0 })).Total);
    }

    [Fact]
    public async Task Seeding_twice_adds_nothing_and_every_empty_store_gets_the_same_demo()
    {
        using var first = new TemporaryStore();
        Assert.True(await SeedOn(first).SeedAsync());
        Assert.False(await SeedOn(first).SeedAsync());
        Assert.Equal(300, (await first.Members.SearchAsync(new MemberQuery(CountryScope.Only("BE")))).Total);

        using var second = new TemporaryStore();
        await SeedOn(second).SeedAsync();
        var a = await AllAsync(first.Clients.ExportAsync(new ClientQuery(CountryScope.All)));
        var b = await AllAsync(second.Clients.ExportAsync(new ClientQuery(CountryScope.All)));
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task The_app_seeds_its_directory_on_first_start_and_audits_it_as_the_demo_seed()
    {
        using var app = new SmartWebFactory();
        var members = app.Services.GetRequiredService<IMemberStore>();
        var italians = await members.SearchAsync(new MemberQuery(CountryScope.Only("IT")) { Take = 1 });
        Assert.True(italians.Total > 0);
        var history = await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(AuditedEntity.Member, italians.Rows[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DirectoryDemoSeed.Actor.Name, Assert.Single(history).Actor);
    }
}
