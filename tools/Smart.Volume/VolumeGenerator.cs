using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LiteDB;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Budget;
using Smart.Web.Pages.Clients;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Demo;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Volume;

/// <summary>What to generate where; <see cref="Scale"/> 1 is the full year.</summary>
public sealed record VolumeOptions(string DataDirectory, string RulesDirectory, string PluginsDirectory)
{
    public double Scale { get; init; } = 1.0;
    /// <summary>The day the year ends on (exclusive): invoices and contracts fall in the 365 days before it.</summary>
    public DateOnly Today { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);
    public Action<string> Log { get; init; } = Console.WriteLine;
}

/// <summary>What was stored, per kind, and how long each part took.</summary>
public sealed record VolumeReport(Dictionary<string, int> Counts, List<(string Part, TimeSpan Took, int Records)> Parts, TimeSpan Total, int Rejected);

/// <summary>
/// Fills a fresh data directory with a year of members, production units, clients, invoices and contracts at DOMAIN.md's counts, through
/// the app's own LiteDB stores, every invoice and contract evaluated by the real rules engine (without trace: the bulk path). Also writes
/// the demo accounts and API key, and volume.json, which marks the directory as generated.
/// </summary>
public sealed class VolumeGenerator(VolumeOptions options)
{
    public const string MarkerFileName = "volume.json";
    private static readonly AuditActor Actor = AuditActor.System("volume-generator");

    private static readonly HashSet<string> CreativeSectors =
    [
        MemberSectors.VisualArtsAndCrafts, MemberSectors.PerformingArtsAndLiterature, MemberSectors.Music, MemberSectors.Audiovisual,
        MemberSectors.ItGraphicsLanguageAndWriting, MemberSectors.ArchitectureFashionAndDesign, MemberSectors.ArtisticCreationFunctions,
    ];

    private static readonly HashSet<string> StageSectors =
        [MemberSectors.PerformingArtsAndLiterature, MemberSectors.Music, MemberSectors.ImageSoundAndStage, MemberSectors.Audiovisual];

    /// <summary>The kinds of work a creative sector's author-rights concessions are about, most frequent first (each a value of <see cref="WorkKinds.All"/>).</summary>
    private static readonly Dictionary<string, string[]> SectorWorkKinds = new()
    {
        [MemberSectors.VisualArtsAndCrafts] = ["visual", "photographic", "comics"],
        [MemberSectors.PerformingArtsAndLiterature] = ["literary", "dramatic", "choreographic"],
        [MemberSectors.Music] = ["musical"],
        [MemberSectors.Audiovisual] = ["audiovisual", "photographic"],
        [MemberSectors.ItGraphicsLanguageAndWriting] = ["literary", "journalistic", "visual", "software", "advertising"],
        [MemberSectors.ArchitectureFashionAndDesign] = ["architectural", "visual"],
        [MemberSectors.ArtisticCreationFunctions] = ["visual", "audiovisual", "other"],
    };

    /// <summary>Where performances and trainings given abroad take place: neighbours and frequent tour countries.</summary>
    private static readonly string[] TourCountries = ["BE", "FR", "NL", "DE", "LU", "IT", "ES", "CH", "GB", "AT", "SE"];

    private readonly List<(string Part, TimeSpan Took, int Records)> parts = [];
    private int rejected;
    /// <summary>The unit with the most ledger entries: the load benchmark opens its ledger page.</summary>
    private int busiestLedgerUnit;

    public async Task<VolumeReport> GenerateAsync()
    {
        var total = Stopwatch.StartNew();
        var databaseFile = Path.Combine(options.DataDirectory, StorageServices.DatabaseFileName);
        if (File.Exists(databaseFile) || File.Exists(Path.Combine(options.DataDirectory, MarkerFileName)))
            throw new InvalidOperationException($"{options.DataDirectory} already holds a store: the generator only fills a fresh data directory.");
        Directory.CreateDirectory(options.DataDirectory);

        var (rules, evaluator) = Timed("rules and plugins loaded", () =>
        {
            var book = RuleBook.Load(options.RulesDirectory, PluginCatalog.Load(options.PluginsDirectory));
            return ((book, new DocumentEvaluator(book)), book.RuleSets.Count());
        });

        var counts = new Dictionary<string, int>();
        // Through the store's one owner, as the app opens it: an app started on the directory meanwhile is refused, not corrupting it.
        using (var file = new LiteDbFile(options.DataDirectory))
        {
            var database = file.Database;
            var clock = TimeProvider.System;
            var audit = new LiteDbAuditLog(database);
            var members = new LiteDbMemberStore(database, audit, clock);
            var units = new LiteDbProductionUnitStore(database, audit, clock);
            var clients = new LiteDbClientStore(database, audit, clock);
            var invoices = new LiteDbInvoiceStore(database, audit, clock);
            var contracts = new LiteDbContractStore(database, audit, clock);
            var ledger = new LiteDbLedgerStore(database, clock);

            // The demo accounts and key the README lists, so a load test can sign in; the app's own seeds then find a filled store and add nothing.
            await new AccountDemoSeed(new LiteDbAccountStore(database), new PasswordHasher<Account>(), NullLogger<AccountDemoSeed>.Instance).StartAsync(default);
            await new DemoSeed(new LiteDbApiKeyStore(database), clock, NullLogger<DemoSeed>.Instance).StartAsync(default);

            var data = DirectoryDemoData.Load();
            foreach (var figures in VolumeFigures.Year.Select(f => f.Scaled(options.Scale)))
            {
                if (rules.Plugins.Find(figures.Country) is not { } plugin || !data.Countries.TryGetValue(figures.Country, out var demo))
                {
                    options.Log($"{figures.Country}: no plugin or no demo names, skipped");
                    continue;
                }
                var country = new CountryYear(figures, plugin, evaluator, options.Today);
                var generator = new DirectoryDemoSeed.CountryGenerator(figures.Country,
                    demo with
                    {
                        Members = figures.Members,
                        ProductionUnits = figures.ProductionUnits,
                        Clients = figures.Clients,
                        MembersNearAuthorRightsCeiling = figures.Members * demo.MembersNearAuthorRightsCeiling / Math.Max(1, demo.Members),
                    },
                    data, plugin.Plugin, rules.Find(figures.Country, Topics.LegalForms, data.ReferenceDate)?.File.Entries ?? []);

                var storedClients = Timed($"{figures.Country} clients", () => Counted(clients.ImportMany(generator.Clients())));
                var storedMembers = Timed($"{figures.Country} members", () => Counted(members.ImportMany(generator.Members())));
                var storedUnits = Timed($"{figures.Country} production units", () => Counted(units.ImportMany(generator.ProductionUnits(storedMembers))));
                var memberById = storedMembers.ToDictionary(m => m.Id);
                Add(counts, "members", storedMembers.Count);
                Add(counts, "production units", storedUnits.Count);
                Add(counts, "clients", storedClients.Count);
                if (storedUnits.Count == 0 || storedClients.Count == 0) continue;

                Add(counts, "invoices", Timed($"{figures.Country} invoices (evaluated)", () =>
                {
                    var stored = country.Invoices(storedUnits, memberById, storedClients, invoices);
                    return (stored, stored);
                }));
                Add(counts, "contracts", Timed($"{figures.Country} contracts (evaluated)", () =>
                {
                    var stored = country.Contracts(storedUnits, memberById, contracts);
                    return (stored, stored);
                }));
                Add(counts, "ledger entries", Timed($"{figures.Country} ledger entries", () =>
                {
                    var stored = country.Ledger(storedUnits, ledger);
                    return (stored, stored);
                }));
                rejected += country.Rejected;
            }
            Timed("unit balances computed (1,000 units)", () => (0, MeasureBalances(database, ledger)));
            Timed("checkpoint", () =>
            {
                database.Checkpoint();
                return (0, 0);
            });
        }

        var report = new VolumeReport(counts, parts, total.Elapsed, rejected);
        await File.WriteAllTextAsync(Path.Combine(options.DataDirectory, MarkerFileName), System.Text.Json.JsonSerializer.Serialize(new
        {
            generatedUtc = DateTime.UtcNow, options.Scale, yearEnds = options.Today, counts, seconds = Math.Round(total.Elapsed.TotalSeconds, 1),
            rejected, busiestLedgerUnit,
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return report;
    }

    /// <summary>
    /// Times a unit's figures summed from its ledger entries (what the ledger page, the contract check and the write-off page do) for 1,000
    /// units drawn with a fixed seed and for the unit with the most entries; logs mean, p95 and max. Returns how many units were timed.
    /// </summary>
    private int MeasureBalances(LiteDatabase database, LiteDbLedgerStore ledger)
    {
        var unitIds = database.GetCollection("productionUnits").Query().Select("$._id").ToEnumerable().Select(d => d["_id"].AsInt32).ToList();
        if (unitIds.Count == 0) return 0;
        var random = new Random(18);
        var timings = new List<double>();
        var entries = new List<int>();
        for (var i = 0; i < 1_000; i++)
        {
            var watch = Stopwatch.StartNew();
            var totals = ledger.TotalsOf(unitIds[random.Next(unitIds.Count)]);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            entries.Add(totals.Entries);
        }
        timings.Sort();
        var busiest = database.GetCollection(LiteDbLedgerStore.CollectionName).Query().GroupBy("$.ProductionUnitId")
            .Select("{ unit: @key, n: COUNT(*) }").ToEnumerable().OrderByDescending(d => d["n"].AsInt32).First();
        var busiestWatch = Stopwatch.StartNew();
        busiestLedgerUnit = busiest["unit"].AsInt32;
        var busiestTotals = ledger.TotalsOf(busiestLedgerUnit);
        var busiestMs = busiestWatch.Elapsed.TotalMilliseconds;
        options.Log(string.Create(CultureInfo.InvariantCulture,
            $"unit balance from its entries: {entries.Average():F1} entries a unit on average, mean {timings.Average():F2} ms, p95 {timings[(int)(timings.Count * 0.95)]:F2} ms, max {timings[^1]:F2} ms; busiest unit #{busiest["unit"].AsInt32} ({busiestTotals.Entries} entries) {busiestMs:F2} ms"));
        return timings.Count;
    }

    private static (IReadOnlyList<T>, int) Counted<T>(IReadOnlyList<T> list) => (list, list.Count);

    private static void Add(Dictionary<string, int> counts, string kind, int count) => counts[kind] = counts.GetValueOrDefault(kind) + count;

    private T Timed<T>(string part, Func<(T Result, int Records)> work)
    {
        var watch = Stopwatch.StartNew();
        var (result, records) = work();
        parts.Add((part, watch.Elapsed, records));
        options.Log(string.Create(CultureInfo.InvariantCulture, $"{part,-40} {records,9:N0} in {watch.Elapsed.TotalSeconds,7:F1} s"));
        return result;
    }

    /// <summary>One country's invoices and contracts of the year, drawn with a fixed seed and evaluated in parallel.</summary>
    private sealed class CountryYear(VolumeFigures figures, CountryPluginInfo plugin, DocumentEvaluator evaluator, DateOnly today)
    {
        private const int Chunk = 20_000;
        public int Rejected { get; private set; }
        private readonly string country = figures.Country;
        private readonly DateOnly firstDay = today.AddDays(-365);
        // Sweden invoices in SEK: amounts drawn in euros are multiplied by about the exchange rate.
        private readonly decimal currencyFactor = plugin.Manifest.Currency == "SEK" ? 11m : 1m;
        private readonly bool hasAuthorRights = evaluator.Book.Find(figures.Country, Topics.AuthorRights, today) is not null;

        public int Invoices(IReadOnlyList<ProductionUnit> units, Dictionary<int, Member> members, IReadOnlyList<Client> clients, LiteDbInvoiceStore store)
        {
            var random = new Random(country[0] * 256 + country[1] + 1);
            var trainingBody = plugin.Manifest.Issuers.FirstOrDefault(i => i.RecognisedTrainingBody)?.Id;
            var defaultIssuer = plugin.Manifest.DefaultIssuer.Id;
            var drawn = new List<Invoice>(figures.Invoices);
            for (var i = 0; i < figures.Invoices; i++)
            {
                var unit = units[random.Next(units.Count)];
                var member = members.GetValueOrDefault(unit.MemberId);
                var date = firstDay.AddDays(random.Next(365));
                var lines = Lines(random, unit.Sector, out var training);
                drawn.Add(new Invoice
                {
                    Country = country, ProductionUnitId = unit.Id, ClientId = clients[random.Next(clients.Count)].Id,
                    Issuer = training && trainingBody is not null ? trainingBody : defaultIssuer, Date = date, DueDate = date.AddDays(30),
                    ServiceLevel = "standard", Lines = lines, Status = DrawStatus(random, date),
                });
            }

            // Numbers follow the dates, one gap-free sequence per year, as issuing them day by day would have given.
            var sequences = new Dictionary<int, int>();
            var ordered = drawn.Select((invoice, index) => (invoice, index)).OrderBy(x => x.invoice.Date).ThenBy(x => x.index).ToList();
            foreach (var (invoice, index) in ordered)
            {
                if (invoice.Status == InvoiceStatus.Draft) continue;
                var next = sequences[invoice.Date.Year] = sequences.GetValueOrDefault(invoice.Date.Year) + 1;
                drawn[index] = invoice with { Number = string.Create(CultureInfo.InvariantCulture, $"{country}-{invoice.Date.Year}-{next:000000}") };
            }

            // A member's invoices are evaluated in date order by one worker, so each sees the author rights its earlier ones issued.
            var unitOwner = units.ToDictionary(u => u.Id, u => u.MemberId);
            var byMember = ordered.Select(x => x.index).GroupBy(index => unitOwner[drawn[index].ProductionUnitId]).ToList();
            var clientById = clients.ToDictionary(c => c.Id);
            var stored = 0;
            var refused = new ConcurrentDictionary<string, int>();
            var income = new List<(int MemberId, int Year, MemberIncome Income)>();
            foreach (var batch in Batches(byMember, Chunk))
            {
                var results = new ConcurrentBag<(Invoice Invoice, int MemberId, MemberIncome Income)>();
                Parallel.ForEach(batch, group =>
                {
                    var payments = new Random(group.Key);
                    var member = members.GetValueOrDefault(group.Key);
                    var yearToDate = new Dictionary<int, MemberIncome>();
                    foreach (var index in group)
                    {
                        var invoice = drawn[index];
                        var client = clientById[invoice.ClientId];
                        var issuedSoFar = yearToDate.GetValueOrDefault(invoice.Date.Year, MemberIncome.None);
                        // The input the app builds on a save, so a generated year evaluates as the intranet would have.
                        var outcome = evaluator.EvaluateInvoice(EvaluationInputs.Invoice(invoice, client, member,
                            member is null ? MemberIncome.None : EvaluationInputs.YearToDate(member, invoice.Date.Year, issuedSoFar, today)), explain: false);
                        if (outcome.Value is not { } evaluation)
                        {
                            var reason = string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(' ', e.Value)}"));
                            refused.AddOrUpdate(reason, 1, (_, n) => n + 1);
                            continue;
                        }
                        var evaluated = WithPayments(invoice with { Evaluation = evaluation }, payments);
                        var issued = evaluated.Status == InvoiceStatus.Draft ? MemberIncome.None : MemberIncome.Of(evaluation);
                        if (issued != MemberIncome.None) yearToDate[invoice.Date.Year] = issuedSoFar + issued;
                        results.Add((evaluated, group.Key, issued));
                    }
                });
                var loaded = results.OrderBy(r => r.Invoice.Date).ToList();
                var ids = store.ImportMany(loaded.Select(r => r.Invoice).ToList());
                stored += ids.Count;
                for (var i = 0; i < loaded.Count; i++)
                    if (loaded[i].Invoice is { Payments.Count: > 0 } paid)
                        payments.Add((paid.ProductionUnitId, ids[i], paid.Number, paid.Payments[0].Date, LedgerRules.ShareOfPaid(paid, paid.Paid)));
                income.AddRange(loaded.Where(r => r.Income != MemberIncome.None).Select(r => (r.MemberId, r.Invoice.Date.Year, r.Income)));
            }
            store.ImportIncome(income.GroupBy(a => (a.MemberId, a.Year)).Select(g => (g.Key.MemberId, g.Key.Year, g.Aggregate(MemberIncome.None, (sum, a) => sum + a.Income))));
            foreach (var (reason, count) in refused)
                Console.Error.WriteLine($"{country}: {count} invoices refused by the rules and left out: {reason}");
            Rejected += refused.Values.Sum();
            return stored;
        }

        /// <summary>The payments of the stored invoices: what each adds to its unit's ledger (net less contribution, its share).</summary>
        private readonly List<(int UnitId, int InvoiceId, string? Number, DateOnly Date, decimal Share)> payments = [];
        /// <summary>The stored confirmed contracts: what each holds, and when its salary was paid (null: its work is not done yet).</summary>
        private readonly List<Contract> confirmed = [];

        public int Contracts(IReadOnlyList<ProductionUnit> units, Dictionary<int, Member> members, LiteDbContractStore store)
        {
            if (figures.Contracts == 0 || evaluator.Book.Find(country, Topics.Employment, today) is null) return 0;
            var random = new Random(country[0] * 256 + country[1] + 2);
            var salaryDays = new Random(country[0] * 256 + country[1] + 3);
            var drawn = new List<Contract>(figures.Contracts);
            for (var i = 0; i < figures.Contracts; i++)
            {
                var unit = units[random.Next(units.Count)];
                // DOMAIN.md: 4,539,177 hours over 208,014 contracts, about 22 hours; most contracts are a few days.
                var days = random.NextDouble() switch { < 0.45 => 1, < 0.70 => 2, < 0.85 => 3, < 0.95 => 5, _ => random.Next(6, 22) };
                var hours = Math.Round(days * (decimal)(4 + random.NextDouble() * 4), 1);
                var start = firstDay.AddDays(random.Next(365));
                var roll = random.NextDouble();
                drawn.Add(new Contract
                {
                    Country = country, ProductionUnitId = unit.Id, MemberId = unit.MemberId, StartDate = start, EndDate = start.AddDays(days - 1),
                    Days = days, Hours = hours,
                    JobCategory = CreativeSectors.Contains(unit.Sector) && random.NextDouble() < 0.6 ? "artist"
                        : unit.Sector == MemberSectors.CostumesMakeUpAndSets || random.NextDouble() < 0.1 ? "manual-worker" : "employee",
                    Budget = Math.Round(hours * (decimal)(30 + random.NextDouble() * 30) * currencyFactor, 2),
                    Status = roll < 0.05 ? ContractStatus.Draft : roll < 0.09 ? ContractStatus.Cancelled : ContractStatus.Confirmed,
                });
                // The 7-day guarantee: a confirmed contract's salary is paid 1 to 7 days after its last day; one whose day has not come yet is still held.
                var paidOn = drawn[^1].EndDate!.Value.AddDays(salaryDays.Next(1, 8));
                if (drawn[^1].Status == ContractStatus.Confirmed && paidOn < today) drawn[^1] = drawn[^1] with { SalaryPaidOn = paidOn };
            }
            var stored = 0;
            var refused = new ConcurrentDictionary<string, int>();
            foreach (var batch in drawn.Chunk(Chunk))
            {
                var evaluated = new Contract?[batch.Length];
                Parallel.For(0, batch.Length, i =>
                {
                    var contract = batch[i];
                    var member = members.GetValueOrDefault(contract.MemberId);
                    var outcome = evaluator.EvaluateContract(new ContractDocument
                    {
                        Country = country, Date = contract.StartDate, EndDate = contract.EndDate, JobCategory = contract.JobCategory, Days = contract.Days,
                        Hours = contract.Hours, Budget = contract.Budget,
                        Member = member is null ? null : new MemberInfo { HasArtistAttestation = member.HasArtistAttestation, Age = AgeOn(member.BirthDate, contract.StartDate) },
                    }, explain: false);
                    if (outcome.Value is { } evaluation) evaluated[i] = contract.WithEvaluation(evaluation);
                    else refused.AddOrUpdate(string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")), 1, (_, n) => n + 1);
                });
                var loaded = evaluated.OfType<Contract>().ToList();
                var ids = store.ImportMany(loaded);
                stored += ids.Count;
                for (var i = 0; i < loaded.Count; i++)
                    if (loaded[i].Status == ContractStatus.Confirmed)
                        confirmed.Add(loaded[i].WithEvaluation(null) with { Id = ids[i], Version = 1, Budget = LedgerRules.Cost(loaded[i]) });
            }
            foreach (var (reason, count) in refused)
                Console.Error.WriteLine($"{country}: {count} contracts refused by the rules and left out: {reason}");
            Rejected += refused.Values.Sum();
            return stored;
        }

        /// <summary>
        /// Each unit's ledger of the year, event by event in date order as the app would have written it: its opening balance, the payments
        /// of its invoices (recovering the guarantee's advance first), its confirmed contracts' holds and their salaries paid, with the
        /// guarantee's advance when the balance could not pay one. Bulk-loaded, and every unit's ledger marked opened. Returns how many entries.
        /// </summary>
        public int Ledger(IReadOnlyList<ProductionUnit> units, LiteDbLedgerStore store)
        {
            var now = DateTime.UtcNow;
            // Order within a day: the opening first, then holds, payments, salaries.
            var events = new List<(int UnitId, DateOnly Date, int Order, Func<LedgerTotals, IReadOnlyList<LedgerEntry>> Write)>();
            foreach (var unit in units.Where(u => u.AvailableBudget != 0m))
                events.Add((unit.Id, firstDay.AddDays(-1), 0, _ => [LedgerRules.OpeningBalance(unit.Id, country, unit.AvailableBudget, firstDay.AddDays(-1), Actor, now)]));
            foreach (var contract in confirmed)
            {
                var held = contract with { SalaryPaidOn = null };
                events.Add((contract.ProductionUnitId, contract.StartDate, 1, totals => LedgerRules.Contract(null, held, 0m, totals, contract.StartDate, Actor, now)));
                if (contract.SalaryPaidOn is { } paidOn)
                    events.Add((contract.ProductionUnitId, paidOn, 3, totals => LedgerRules.Contract(held, contract, contract.Budget, totals, paidOn, Actor, now)));
            }
            // As LedgerRules.Payment writes them, from the share computed while the invoice and its evaluation were at hand.
            foreach (var (unitId, invoiceId, number, date, share) in payments)
                events.Add((unitId, date, 2, totals =>
                {
                    var entry = new LedgerEntry
                    {
                        ProductionUnitId = unitId, Country = country, Date = date, Kind = LedgerEntryKind.InvoicePayment, Amount = share,
                        SourceKind = LedgerSource.Invoice, SourceId = invoiceId, SourceNumber = number, WrittenBy = Actor.Name, WrittenAtUtc = now,
                    };
                    var recovered = Math.Min(totals.Advance, share);
                    return recovered > 0m ? [entry, entry with { Kind = LedgerEntryKind.GuaranteeRecovery, Amount = 0m, Advance = -recovered }] : [entry];
                }
                ));
            var entries = new List<LedgerEntry>(events.Count * 5 / 4);
            foreach (var unit in events.GroupBy(e => e.UnitId))
            {
                var totals = LedgerTotals.None;
                foreach (var step in unit.OrderBy(e => e.Date).ThenBy(e => e.Order))
                    foreach (var entry in step.Write(totals))
                    {
                        entries.Add(entry);
                        totals = totals.With(entry);
                    }
            }
            return store.ImportMany(entries, units.Select(u => u.Id).ToList());
        }

        private static IEnumerable<List<T>> Batches<T>(IEnumerable<T> groups, int size) where T : IEnumerable<int>
        {
            var batch = new List<T>();
            var count = 0;
            foreach (var group in groups)
            {
                batch.Add(group);
                count += group.Count();
                if (count < size) continue;
                yield return batch;
                (batch, count) = ([], 0);
            }
            if (batch.Count > 0) yield return batch;
        }

        /// <summary>
        /// 1 to 4 lines worth about 930 EUR excl. VAT in all (DOMAIN.md's turnover over its invoices), drawn log-normal; the categories follow the
        /// member's sector: training for trainers (one training invoice in 25 elsewhere), author-rights concessions for creative trades, stage
        /// performances, crafts' goods, some disbursements.
        /// </summary>
        private List<InvoiceLineItem> Lines(Random random, string sector, out bool training)
        {
            var net = (decimal)Math.Round(500 * Math.Exp(1.1 * Gaussian(random)), 2) * currencyFactor;
            net = Math.Clamp(net, 20m * currencyFactor, 60_000m * currencyFactor);
            training = random.NextDouble() < (sector == MemberSectors.TrainingAndTeaching ? 0.7 : 0.04);
            var count = random.NextDouble() switch { < 0.60 => 1, < 0.85 => 2, < 0.95 => 3, _ => 4 };
            var lines = new List<InvoiceLineItem>(count);
            for (var i = 0; i < count; i++)
            {
                var share = i == count - 1 ? net : Math.Round(net * (decimal)(0.3 + random.NextDouble() * 0.4), 2);
                net -= share;
                var category = training ? Categories.Training : DrawCategory(random, sector);
                var quantity = category == Categories.Goods ? random.Next(1, 6) : category == Categories.AuthorRights ? 1 : random.Next(1, 9);
                var description = category switch
                {
                    Categories.Training => "Workshop",
                    Categories.AuthorRights => "Author-rights concession",
                    Categories.ArtisticPerformance => "Performance",
                    Categories.Goods => "Artwork",
                    Categories.Disbursement => "Travel costs",
                    _ => "Services",
                };
                lines.Add(new InvoiceLineItem(description, category, quantity, Math.Max(0.01m, Math.Round(share / quantity, 2)))
                {
                    WorkKind = category == Categories.AuthorRights ? DrawWorkKind(random, sector) : null,
                    // About one performance or training in eight is given abroad, on tour.
                    PerformedIn = category is Categories.ArtisticPerformance or Categories.Training && random.NextDouble() < 0.125 ? DrawTourCountry(random) : null,
                });
            }
            return lines;
        }

        /// <summary>A kind of work fitting the sector: its first kind half the time, else one of the others.</summary>
        private static string DrawWorkKind(Random random, string sector)
        {
            var kinds = SectorWorkKinds.GetValueOrDefault(sector) ?? ["other"];
            return kinds.Length == 1 || random.NextDouble() < 0.5 ? kinds[0] : kinds[random.Next(1, kinds.Length)];
        }

        private string DrawTourCountry(Random random)
        {
            string abroad;
            do abroad = TourCountries[random.Next(TourCountries.Length)];
            while (abroad == country);
            return abroad;
        }

        private string DrawCategory(Random random, string sector)
        {
            var roll = random.NextDouble();
            if (roll < 0.02) return Categories.Disbursement;
            if (hasAuthorRights && CreativeSectors.Contains(sector) && roll < 0.27) return Categories.AuthorRights;
            if (StageSectors.Contains(sector) && roll < 0.55) return Categories.ArtisticPerformance;
            if (sector is MemberSectors.VisualArtsAndCrafts or MemberSectors.CostumesMakeUpAndSets && roll < 0.45) return Categories.Goods;
            return Categories.Service;
        }

        /// <summary>Recent invoices are more often drafts; most older ones are paid, a few left unpaid past their due date (overdue).</summary>
        private InvoiceStatus DrawStatus(Random random, DateOnly date)
        {
            var age = today.DayNumber - date.DayNumber;
            var roll = random.NextDouble();
            if (roll < (age < 20 ? 0.3 : 0.02)) return InvoiceStatus.Draft;
            var due = date.AddDays(30);
            if (due >= today) return random.NextDouble() < 0.2 ? InvoiceStatus.Paid : InvoiceStatus.Issued;
            roll = random.NextDouble();
            var unpaid = today.DayNumber - due.DayNumber < 45 ? 0.2 : 0.04;
            return roll < unpaid ? InvoiceStatus.Issued : roll < unpaid + 0.02 ? InvoiceStatus.PartlyPaid : InvoiceStatus.Paid;
        }

        private Invoice WithPayments(Invoice invoice, Random random)
        {
            var gross = invoice.Evaluation!.Totals.Gross;
            var paidOn = invoice.Date.AddDays(random.Next(3, 45));
            if (paidOn >= today) paidOn = today.AddDays(-1);
            return invoice.Status switch
            {
                InvoiceStatus.Paid => invoice with { Payments = [new InvoicePayment(paidOn, gross, $"PAY-{invoice.Number}")] },
                InvoiceStatus.PartlyPaid => invoice with { Payments = [new InvoicePayment(paidOn, Math.Round(gross * (decimal)(0.2 + random.NextDouble() * 0.6), 2), $"PAY-{invoice.Number}")] },
                _ => invoice,
            };
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
    }

    private static int AgeOn(DateOnly birth, DateOnly day) => day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);
}
