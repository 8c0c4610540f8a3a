using System.Globalization;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Storage.Demo;

/// <summary>
/// Fills an empty directory with demo members, production units and clients for every country in directory-demo.json
/// whose plugin is loaded. The random generator is seeded per country, so every empty store gets the same demo.
/// </summary>
public sealed class DirectoryDemoSeed(IMemberStore members, IProductionUnitStore units, IClientStore clients, RuleBook rules,
    ILogger<DirectoryDemoSeed> logger) : IHostedService
{
    public static readonly AuditActor Actor = AuditActor.System("demo-seed");

    public Task StartAsync(CancellationToken cancellationToken) => SeedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Seeds when members, production units and clients are all empty; returns whether it did.</summary>
    public async Task<bool> SeedAsync(CancellationToken cancellationToken = default)
    {
        // Not a search: on LiteDB that waits for every directory row to load, which start-up would wait for.
        if (await members.AnyAsync(cancellationToken) || await units.AnyAsync(cancellationToken) || await clients.AnyAsync(cancellationToken)) return false;

        var data = DirectoryDemoData.Load();
        foreach (var (country, demo) in data.Countries)
        {
            if (rules.Plugins.Find(country) is not { } plugin)
            {
                logger.LogWarning("No plugin for {Country}: its demo directory is not seeded", country);
                continue;
            }
            var generator = new CountryGenerator(country, demo, data, plugin.Plugin,
                rules.Find(country, Topics.LegalForms, data.ReferenceDate)?.File.Entries ?? []);
            await clients.AddManyAsync(generator.Clients(), Actor, cancellationToken);
            var seededMembers = generator.Members();
            await members.AddManyAsync(seededMembers, Actor, cancellationToken);
            var stored = (await members.SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1000 }, cancellationToken)).Rows;
            await units.AddManyAsync(generator.ProductionUnits(stored), Actor, cancellationToken);
            logger.LogInformation("Seeded the demo directory of {Country}: {Members} members, {Units} production units, {Clients} clients",
                country, demo.Members, demo.ProductionUnits, demo.Clients);
        }
        return true;
    }

    /// <summary>One country's generated directory; public so tools/Smart.Volume draws the same kind of records at the real counts.</summary>
    public sealed class CountryGenerator(string country, DemoCountry demo, DirectoryDemoData data, ICountryPlugin plugin, IReadOnlyList<LegalFormEntry> legalForms)
    {
        // A fixed seed per country: the demo is the same on every machine and every start.
        private readonly Random random = new(country[0] * 256 + country[1]);
        private readonly HashSet<string> issued = [];
        private static readonly HashSet<string> AuthorRightsSectors =
        [
            MemberSectors.VisualArtsAndCrafts, MemberSectors.PerformingArtsAndLiterature, MemberSectors.Music, MemberSectors.Audiovisual,
            MemberSectors.ItGraphicsLanguageAndWriting, MemberSectors.ArchitectureFashionAndDesign, MemberSectors.ArtisticCreationFunctions,
        ];

        public List<Member> Members()
        {
            var list = new List<Member>(demo.Members);
            for (var i = 0; i < demo.Members; i++)
            {
                var first = Pick(demo.FirstNames);
                var last = Pick(demo.LastNames);
                var birth = BirthDate();
                var sector = Weighted(data.SectorWeights);
                var earliest = new DateOnly(Math.Max(demo.Since, birth.Year + 18), 1, 1);
                var creative = AuthorRightsSectors.Contains(sector);
                var nearCeiling = i < demo.MembersNearAuthorRightsCeiling;
                list.Add(new Member
                {
                    Country = country,
                    FirstName = first,
                    LastName = last,
                    Email = $"{Slug(first)}.{Slug(last)}{i.ToString(CultureInfo.InvariantCulture)}@example.org",
                    NationalNumber = Unique(IdentifierKind.PersonalNumber, demo.Identifiers.PersonalNumber, birth, null),
                    BirthDate = birth,
                    Sector = nearCeiling ? MemberSectors.VisualArtsAndCrafts : sector,
                    Office = Weighted(demo.Offices),
                    MemberSince = Between(earliest, data.ReferenceDate.AddDays(-1)),
                    // Some members close to the annual author-rights ceiling, so invoice pages have a warning to show.
                    AuthorRightsYearToDate = nearCeiling ? Money(60_000, 75_000) : creative && random.NextDouble() < 0.4 ? Money(0, 30_000) : 0m,
                    HasArtistAttestation = nearCeiling || (creative && random.NextDouble() < 0.3),
                    Active = random.NextDouble() >= 0.08,
                });
            }
            return list;
        }

        public List<ProductionUnit> ProductionUnits(IReadOnlyList<Member> owners)
        {
            var list = new List<ProductionUnit>(demo.ProductionUnits);
            for (var i = 0; i < demo.ProductionUnits && owners.Count > 0; i++)
            {
                // Most members run one unit; drawing owners at random gives some two and some none, as in life.
                var owner = i < owners.Count * 3 / 4 ? owners[i] : Pick(owners);
                list.Add(new ProductionUnit
                {
                    Country = country,
                    Name = Pick(demo.ActivityNames).Replace("{first}", owner.FirstName, StringComparison.Ordinal).Replace("{last}", owner.LastName, StringComparison.Ordinal),
                    MemberId = owner.Id,
                    Sector = random.NextDouble() < 0.85 ? owner.Sector : Weighted(data.SectorWeights),
                    Status = random.NextDouble() < 0.1 ? ProductionUnitStatus.Closed : ProductionUnitStatus.Active,
                    OpeningBalance = Money(0, 25_000),
                    Created = Between(owner.MemberSince, data.ReferenceDate.AddDays(-1)),
                });
            }
            return list;
        }

        public List<Client> Clients()
        {
            var current = legalForms.Where(f => f.ReplacedBy is null).ToList();
            var publicForms = current.Where(f => f.PublicBody).ToList();
            var nonprofitForms = current.Where(f => f.NonProfit && !f.PublicBody).ToList();
            var businessForms = current.Where(f => !f.NonProfit && !f.PublicBody).ToList();
            var list = new List<Client>(demo.Clients);
            for (var i = 0; i < demo.Clients; i++)
            {
                var roll = random.NextDouble();
                var city = Pick(demo.Cities);
                var address = demo.AddressFormat.Replace("{street}", Pick(demo.Streets), StringComparison.Ordinal)
                    .Replace("{number}", random.Next(1, 180).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                if (roll < 0.15 || businessForms.Count == 0)
                {
                    var first = Pick(demo.FirstNames);
                    var last = Pick(demo.LastNames);
                    list.Add(new Client
                    {
                        Country = country, Kind = ClientKind.Individual, Name = $"{first} {last}", Address = address, City = city,
                        Email = $"{Slug(first)}.{Slug(last)}@example.net",
                    });
                    continue;
                }
                var (kind, form, name) = roll switch
                {
                    < 0.20 when publicForms.Count > 0 && demo.PublicNames is { Length: > 0 } => (ClientKind.Public, Pick(publicForms), Pick(demo.PublicNames)),
                    < 0.30 when nonprofitForms.Count > 0 => (ClientKind.Nonprofit, Pick(nonprofitForms), ClientName()),
                    _ => (ClientKind.Business, Pick(businessForms), ClientName()),
                };
                var companyShape = demo.Identifiers.CompanyNumberByLegalForm?.GetValueOrDefault(form.Code) ?? demo.Identifiers.CompanyNumber;
                var companyNumber = Unique(IdentifierKind.CompanyNumber, companyShape, default, null);
                list.Add(new Client
                {
                    Country = country, Kind = kind, Name = name, LegalForm = form.Code, CompanyNumber = companyNumber,
                    VatNumber = form.VatRegistered ? Unique(IdentifierKind.VatNumber, demo.Identifiers.VatNumber, default, companyNumber) : null,
                    Address = address, City = city, Email = $"info@{Slug(name)}.example", CodiceDestinatario = demo.ClientChannelCode,
                });
            }
            return list;
        }

        private string ClientName() => $"{Pick(demo.ClientFirstWords)} {Pick(demo.ClientSecondWords)}";

        /// <summary>An identifier the plugin accepts and no other demo record holds; none when the country has no shape or no validator for it.</summary>
        private string? Unique(IdentifierKind kind, string? shape, DateOnly birthDate, string? companyNumber)
        {
            if (string.IsNullOrEmpty(shape) || !plugin.Validators.TryGetValue(kind, out var validator)) return null;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var value = IdentifierShape.Generate(shape, validator, random, birthDate, companyNumber);
                if (value is null) return null;
                if (issued.Add($"{kind}:{value}")) return value;
                // A VAT number built wholly from its company number cannot change: it is unique because the company number is.
                if (companyNumber is not null && !shape.Contains('#') && !shape.Contains('@') && !shape.Contains('[')) return value;
            }
            return null;
        }

        /// <summary>Ages as DOMAIN.md counts Smart's members: 11.4 % up to 25, 64.1 % from 26 to 45, 24.5 % from 46.</summary>
        private DateOnly BirthDate()
        {
            var roll = random.NextDouble();
            var age = roll < 0.114 ? random.Next(19, 26) : roll < 0.755 ? random.Next(26, 46) : random.Next(46, 68);
            return data.ReferenceDate.AddYears(-age - 1).AddDays(random.Next(1, 365));
        }

        private DateOnly Between(DateOnly from, DateOnly to) =>
            to <= from ? from : from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

        private decimal Money(int from, int to) => Math.Round(from + (decimal)random.NextDouble() * (to - from), 2);

        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private string Weighted(Dictionary<string, int> weights)
        {
            var roll = random.Next(weights.Values.Sum());
            foreach (var (item, weight) in weights)
            {
                if (roll < weight) return item;
                roll -= weight;
            }
            return weights.Keys.Last();
        }

        private static string Slug(string text) => new(SearchWords.Fold(text).Where(char.IsAsciiLetterOrDigit).ToArray());
    }
}
