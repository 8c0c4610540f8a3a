using System.Security.Claims;
using MediatR;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.BankStatements;
using Smart.Web.Behaviours;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Pages.Invoices;
using Smart.Web.Reminders;
using Smart.Web.Security;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using BankImport = Smart.Web.Pages.BankStatements.IndexModel.Import;
using NewContract = Smart.Web.Pages.Contracts.CreateModel.Command;
using NewInvoice = Smart.Web.Pages.Invoices.CreateModel.Command;

namespace Smart.Web.Storage.Demo;

/// <summary>
/// Documents on the demo directory, so lists, reminders, the ageing and the home page have something to show on a first start: per
/// country a draft, issued, paid, partly paid, overdue and credited invoice (author rights on Belgian ones), two contracts where an
/// employment rule set exists, the payment reminders due today, and in Belgium one imported CODA statement with a matched and an
/// unmatched payment. It works as a staff member would, by sending the pages' own requests, so every document is evaluated, numbered
/// and checked as a real save is. Runs once, on a store without invoices that the volume generator did not write.
/// </summary>
public sealed class DocumentDemoSeed(IServiceScopeFactory scopes, SmartDirectories directories, IConfiguration configuration, TimeProvider clock,
    ILogger<DocumentDemoSeed> logger) : IHostedService
{
    /// <summary>Who the audit log names for the demo documents.</summary>
    public const string ActorEmail = "demo-seed@smart.coop";

    /// <summary>The Belgian account the demo statement is of.</summary>
    public const string DemoAccount = "BE68539007547034";

    /// <summary>The demo's units and clients are the last of the first few of each list: tests take the very first as theirs.</summary>
    private const int Among = 24;

    /// <summary>
    /// Off with <c>Smart:DemoDocuments</c> = false: issuing some seventy documents with their PDFs and e-invoices takes seconds, which every
    /// test app would pay; the tests that need the demo documents turn them on.
    /// </summary>
    public const string Setting = "Smart:DemoDocuments";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue(Setting, true) || File.Exists(Path.Combine(directories.Data, "volume.json"))) return;
        using var scope = scopes.CreateScope();
        var services = scope.ServiceProvider;
        // Not a search: on LiteDB that waits for a year's invoice rows to load, which start-up would wait for.
        if (await services.GetRequiredService<IInvoiceStore>().AnyAsync(cancellationToken)) return;
        var accessor = services.GetRequiredService<IHttpContextAccessor>();
        accessor.HttpContext = new DefaultHttpContext { User = Staff(), RequestServices = services };
        try
        {
            var seeder = new Seeder(services, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), logger, cancellationToken);
            foreach (var country in services.GetRequiredService<RuleBook>().Countries.Order(StringComparer.Ordinal)) await seeder.CountryAsync(country);
            var reminders = await seeder.Mediator.Send(new SendPaymentReminders.Command(seeder.Today), cancellationToken);
            logger.LogInformation("Seeded {Invoices} demo invoices, {Contracts} contracts and {Reminders} payment reminders", seeder.Invoices, seeder.Contracts, reminders.Sent);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A staff member of every country, as the pages' requests expect one; no account id, so nothing looks it up.</summary>
    private static ClaimsPrincipal Staff() => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, "Demo data"), new Claim(ClaimTypes.Email, ActorEmail), new Claim(ClaimTypes.Role, SmartRoles.Staff),
        new Claim(SmartClaims.Country, SmartClaims.AllCountries),
    ], "demo-seed", ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>One invoice of the demo: days before today of its date and due date, what happens to it after issuing, its lines.</summary>
    private sealed record DemoInvoice(int DaysAgo, int DueInDays, Fate Fate, (string Description, string Category, decimal Quantity, decimal Price)[] Lines);

    private enum Fate { Draft, Issued, Paid, PartlyPaid, Credited, PaidByStatement }

    private sealed class Seeder(IServiceProvider services, DateOnly today, ILogger logger, CancellationToken cancellationToken)
    {
        public IMediator Mediator { get; } = services.GetRequiredService<IMediator>();
        public DateOnly Today => today;
        public int Invoices { get; private set; }
        public int Contracts { get; private set; }

        private readonly RuleBook rules = services.GetRequiredService<RuleBook>();
        private readonly PluginCatalog plugins = services.GetRequiredService<PluginCatalog>();

        public async Task CountryAsync(string country)
        {
            if (plugins.Find(country) is not { } plugin) return;
            var units = (await services.GetRequiredService<IProductionUnitStore>().SearchAsync(
                new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = Among }, cancellationToken)).Rows.TakeLast(4).ToList();
            var clients = (await services.GetRequiredService<IClientStore>().SearchAsync(
                new ClientQuery(CountryScope.Only(country)) { Kind = ClientKind.Business, Take = Among }, cancellationToken)).Rows.TakeLast(4).ToList();
            if (units.Count == 0 || clients.Count == 0) return;

            var authorRights = rules.Find(country, Topics.AuthorRights, today) is not null && country == "BE";
            var toPayByStatement = new List<Invoice>();
            var index = 0;
            foreach (var demo in Demo(authorRights))
            {
                var unit = units[index % units.Count];
                var client = clients[index % clients.Count];
                index++;
                if (await InvoiceAsync(plugin, unit, client, demo) is { } invoice && demo.Fate == Fate.PaidByStatement) toPayByStatement.Add(invoice);
            }
            if (toPayByStatement.Count > 0 && country == "BE") await StatementAsync(plugin.Plugin, toPayByStatement);
            if (rules.Find(country, Topics.Employment, today) is not null) await ContractsAsync(units);
        }

        private static IEnumerable<DemoInvoice> Demo(bool authorRights)
        {
            var rights = authorRights ? new[] { ("Illustrations: author rights", Categories.AuthorRights, 1m, 1200m) } : [];
            yield return new(2, 28, Fate.Draft, [("Workshop design", Categories.Service, 1m, 850m), .. rights]);
            yield return new(10, 20, Fate.Issued, [("Stage lighting, two evenings", Categories.Service, 2m, 450m)]);
            yield return new(75, -45, Fate.Paid, [("Concert", Categories.Service, 1m, 1500m)]);
            yield return new(20, 10, Fate.PartlyPaid, [("Photo reportage", Categories.Service, 1m, 980m), .. rights]);
            yield return new(25, -5, Fate.Issued, [("Video editing", Categories.Service, 3m, 320m)]);
            yield return new(80, -50, Fate.Issued, [("Set building", Categories.Service, 1m, 2100m), .. rights]);
            yield return new(150, -120, Fate.Issued, [("Graphic design", Categories.Service, 1m, 640m)]);
            yield return new(40, -10, Fate.Credited, [("Translation", Categories.Service, 1m, 720m)]);
            yield return new(35, -5, Fate.PaidByStatement, [("Sound engineering", Categories.Service, 1m, 560m)]);
        }

        /// <summary>Saves, issues and pays or credits one invoice as the pages do; a document the rules refuse is left out and logged.</summary>
        private async Task<Invoice?> InvoiceAsync(CountryPluginInfo plugin, ProductionUnit unit, Client client, DemoInvoice demo)
        {
            var date = today.AddDays(-demo.DaysAgo);
            var fields = new NewInvoice
            {
                ProductionUnitId = unit.Id, ClientId = client.Id, Issuer = plugin.Manifest.DefaultIssuer.Id, Date = date, DueDate = date.AddDays(demo.DaysAgo + demo.DueInDays),
                Lines = [.. demo.Lines.Select(l => new LineFields
                {
                    Description = l.Description, Category = l.Category, Quantity = l.Quantity, UnitPrice = l.Price,
                    WorkKind = l.Category == Categories.AuthorRights ? "visual" : null,
                })],
            };
            try
            {
                var draft = await Mediator.Send(fields, cancellationToken);
                Invoices++;
                if (demo.Fate == Fate.Draft) return draft;
                var issued = await Mediator.Send(new DetailsModel.Issue(draft.Id, draft.Version), cancellationToken);
                if (issued.Number is null)
                {
                    logger.LogWarning("Demo invoice of {Country} not issued: {Problems}", unit.Country, string.Join(" ", issued.Problems));
                    return draft;
                }
                var invoice = (await services.GetRequiredService<IInvoiceStore>().GetAsync(draft.Id, cancellationToken))!;
                var gross = invoice.Evaluation!.Totals.Gross;
                switch (demo.Fate)
                {
                    case Fate.Paid:
                        await Mediator.Send(new DetailsModel.RecordPayment { Id = invoice.Id, Date = invoice.DueDate!.Value.AddDays(-3), Amount = gross, Reference = "Bank transfer" }, cancellationToken);
                        break;
                    case Fate.PartlyPaid:
                        await Mediator.Send(new DetailsModel.RecordPayment { Id = invoice.Id, Date = today.AddDays(-12), Amount = Math.Round(gross / 2, 2), Reference = "First instalment" }, cancellationToken);
                        break;
                    case Fate.Credited:
                        await Mediator.Send(new DetailsModel.CreateCreditNote(invoice.Id), cancellationToken);
                        Invoices++;
                        break;
                }
                return invoice;
            }
            catch (RequestValidationException e)
            {
                logger.LogWarning("Demo invoice of {Country} left out: {Errors}", unit.Country, string.Join(" ", e.Errors.SelectMany(x => x.Value)));
                return null;
            }
        }

        /// <summary>A statement paying the invoices by their structured communication, with a payment nobody can place and the bank's costs.</summary>
        private async Task StatementAsync(ICountryPlugin plugin, IReadOnlyList<Invoice> paid)
        {
            var coda = new CodaWriter(DemoAccount, today.AddDays(-2));
            foreach (var invoice in paid)
                coda.Received(invoice.BalanceDue, structured: plugin.PaymentReference(PrintModel.ReferenceBase(invoice.Number)!.Value), name: "Client");
            coda.Received(125.00m, free: "Remboursement avance", name: "J. Dupont").PaidOut(12.10m, "Frais bancaires");
            var bytes = coda.Bytes();
            using var stream = new MemoryStream(bytes);
            await Mediator.Send(new BankImport { Country = "BE", File = new FormFile(stream, 0, bytes.Length, "File", "demo-statement.cod") }, cancellationToken);
        }

        /// <summary>A confirmed contract and a draft one on the country's first demo units.</summary>
        private async Task ContractsAsync(IReadOnlyList<ProductionUnit> units)
        {
            (ContractStatus Status, int StartsIn, int Days, string Category, decimal Budget)[] demo =
                [(ContractStatus.Confirmed, 10, 2, "artist", 400m), (ContractStatus.Draft, 20, 3, "employee", 600m)];
            for (var i = 0; i < demo.Length; i++)
            {
                var (status, startsIn, days, category, budget) = demo[i];
                var start = today.AddDays(startsIn);
                try
                {
                    await Mediator.Send(new NewContract
                    {
                        ProductionUnitId = units[i % units.Count].Id, StartDate = start, EndDate = start.AddDays(days - 1), Days = days, Hours = days * 8,
                        JobCategory = category, Budget = budget, Status = status,
                    }, cancellationToken);
                    Contracts++;
                }
                catch (RequestValidationException e)
                {
                    logger.LogWarning("Demo contract left out: {Errors}", string.Join(" ", e.Errors.SelectMany(x => x.Value)));
                }
            }
        }
    }
}
