using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.BankStatements;
using Smart.Web.EInvoicing;
using Smart.Web.Pages.Invoices;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages;

/// <summary>The home page: who the user is, which countries they see, and what needs their attention there.</summary>
public class IndexModel(IMediator mediator) : PageModel
{
    public Result Dashboard { get; private set; } = new("", [], []);

    public async Task OnGetAsync(string? country) => Dashboard = await mediator.Send(new Query { Country = country });

    /// <summary><see cref="Country"/>: the country of the charts (each in its own currency); none given, the user's first.</summary>
    public sealed record Query : IRequest<Result>
    {
        public string? Country { get; init; }
    }

    /// <summary>
    /// Something waiting for the user, by role: how many, how much (per currency) where it is money, and the page listing them
    /// (<see cref="Page"/> with <see cref="Route"/>). <see cref="Text"/> is the page's resource key.
    /// </summary>
    public sealed record WaitingItem(string Key, string Text, int Count, string Page, IReadOnlyDictionary<string, string> Route)
    {
        public IReadOnlyList<(decimal Amount, string Currency)> Amounts { get; init; } = [];
    }

    /// <summary>One month of issued invoices and credit notes of the chart country: net turnover and the cooperative's contributions.</summary>
    public sealed record MonthRow(string Month, decimal Turnover, decimal Contributions);

    /// <summary>The charts of one country in its currency: the last twelve months, and what clients owe by lateness.</summary>
    public sealed record Charts(string Country, string Currency, IReadOnlyList<MonthRow> Months, AgeingModel.Buckets Overdue);

    /// <summary>Rule-set versions submitted and waiting for an approver's decision, in the user's countries: the home page and the top bar's badge.</summary>
    public sealed record ApprovalsWaiting : IRequest<int>;

    public sealed class ApprovalsHandler(IRuleSetStore ruleSets, CurrentUser user) : IRequestHandler<ApprovalsWaiting, int>
    {
        public async Task<int> Handle(ApprovalsWaiting request, CancellationToken cancellationToken) =>
            user.IsInAnyRole([SmartRoles.Approver, SmartRoles.Administrator])
                ? (await ruleSets.PendingAsync(CountryScope.Of(user), cancellationToken)).Count(v => v.Status == RuleSetVersionStatus.Submitted)
                : 0;
    }

    public sealed record Result(string Name, IReadOnlyList<string> Roles, IReadOnlyList<CountryRow> Countries)
    {
        public IReadOnlyList<NearCeiling> NearCeilings { get; init; } = [];
        public IReadOnlyList<OverdueRow> Overdue { get; init; } = [];
        public IReadOnlyList<WaitingItem> Waiting { get; init; } = [];
        public Charts? Charts { get; init; }
    }

    /// <summary>An overdue invoice of a visible country: the oldest due dates first, since they are the likeliest never to be paid.</summary>
    public sealed record OverdueRow(int Id, string? Number, string Country, DateOnly DueDate, int DaysLate, decimal Balance, string Currency);

    public const int OverdueShown = 10;

    /// <summary>
    /// Members of a country whose author-rights income this year is within 10 % of the annual ceiling (or above it):
    /// their next author-rights invoice may leave the favourable regime, so an adviser should talk to them first.
    /// </summary>
    public sealed record NearCeiling(string Country, string CountryName, decimal Ceiling, decimal Threshold, string Currency, int Members);

    /// <summary>A visible country, named in the user's language when its plugin gives that name; the counts only for roles that work on the directory.</summary>
    public sealed record CountryRow(string Code, string Name, string Currency, DirectoryCounts? Counts);

    public sealed record DirectoryCounts(int Members, int ProductionUnits, int Clients);

    public sealed class Handler(CurrentUser user, PluginCatalog plugins, IMemberStore members, IProductionUnitStore units, IClientStore clients,
        DocumentEvaluator evaluator, TimeProvider clock, IInvoiceStore invoices, IBankStatementStore statements, IOutboxStore outbox, IRuleSetStore ruleSets,
        ISimulationStore simulations, IAccountStore accounts, IMediator mediator, HomeFigures figures)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var countsShown = user.IsInAnyRole(SmartRoles.MemberWork);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var countries = new List<CountryRow>();
            var nearCeilings = new List<NearCeiling>();
            foreach (var code in user.VisibleCountries)
            {
                var manifest = plugins.Find(code)?.Manifest;
                var name = manifest?.Names.GetValueOrDefault(language) ?? manifest?.Names.GetValueOrDefault("en") ?? code;
                countries.Add(new CountryRow(code, name, manifest?.Currency ?? "", countsShown ? await CountAsync(code, cancellationToken) : null));
                if (countsShown && evaluator.AuthorRightsCeiling(code, today) is { } ceiling && ceiling > 0)
                {
                    var threshold = Math.Floor(ceiling * 0.9m);
                    var near = await members.SearchAsync(new MemberQuery(CountryScope.Only(code)) { AuthorRightsAtLeast = threshold, Active = true, Take = 0 }, cancellationToken);
                    if (near.Total > 0) nearCeilings.Add(new NearCeiling(code, name, ceiling, threshold, manifest?.Currency ?? "EUR", near.Total));
                }
            }
            var chartCountry = CountryCode.TryParse(query.Country, out var asked) && user.CanSee(asked) ? asked.Value : user.VisibleCountries.FirstOrDefault();
            return new Result(user.Name, user.Roles, countries)
            {
                NearCeilings = nearCeilings, Overdue = countsShown ? await OverdueAsync(today, cancellationToken) : [],
                Waiting = await WaitingAsync(today, cancellationToken),
                Charts = countsShown && chartCountry is not null
                    ? await figures.GetAsync($"charts {chartCountry} {today:yyyy-MM-dd}", () => ChartsAsync(chartCountry, today, CancellationToken.None))
                    : null,
            };
        }

        private static Dictionary<string, string> Route(params (string Key, string Value)[] values) => values.ToDictionary(v => v.Key, v => v.Value);

        /// <summary>What waits for each of the user's roles, in their countries; an item with nothing waiting is still listed, at zero.</summary>
        private async Task<IReadOnlyList<WaitingItem>> WaitingAsync(DateOnly today, CancellationToken cancellationToken)
        {
            var scope = CountryScope.Of(user);
            var items = new List<WaitingItem>();
            if (user.IsInAnyRole(SmartRoles.MemberWork))
            {
                var drafts = await invoices.SearchAsync(new InvoiceQuery(scope) { Status = InvoiceStatus.Draft, Take = 0 }, cancellationToken);
                items.Add(new WaitingItem("drafts", "Draft invoices to issue", drafts.Total, "/Invoices/Index", Route(("Status", nameof(InvoiceStatus.Draft)))));
                var overdue = await figures.GetAsync($"overdue {scope} {today:yyyy-MM-dd}", () => OverdueTotalsAsync(scope, today));
                items.Add(new WaitingItem("overdue", "Overdue invoices", overdue.Count, "/Invoices/Index", Route(("Status", nameof(InvoiceStatus.Overdue))))
                {
                    Amounts = overdue.Amounts,
                });
                items.Add(new WaitingItem("bank-lines", "Bank statement lines waiting for a person", (await statements.WaitingAsync(scope, cancellationToken)).Count,
                    "/BankStatements/Waiting", Route()));
                var rejected = await outbox.SearchAsync(new OutboxQuery(scope, OutboxStatus.Rejected, Take: 1), cancellationToken);
                items.Add(new WaitingItem("rejected-einvoices", "E-invoices rejected by their channel", rejected.Total, "/Invoices/Outbox", Route(("status", nameof(OutboxStatus.Rejected)))));
            }
            if (user.IsInAnyRole([SmartRoles.Approver, SmartRoles.Administrator]))
                items.Add(new WaitingItem("approvals", "Rule-set publications waiting for your approval", await mediator.Send(new ApprovalsWaiting(), cancellationToken),
                    "/Rules/Index", Route()));
            if (user.IsInAnyRole([SmartRoles.ComplianceOfficer, SmartRoles.Administrator]))
            {
                var pending = await ruleSets.PendingAsync(scope, cancellationToken);
                items.Add(new WaitingItem("rule-drafts", "Rule-set drafts and returned versions", pending.Count(v => v.IsEditable), "/Rules/Index", Route()));
                items.Add(new WaitingItem("simulations", "Impact simulations running", (await simulations.UnfinishedAsync(cancellationToken)).Count(s => scope.Includes(s.Country)),
                    "/Rules/Index", Route()));
            }
            if (user.IsInRole(SmartRoles.Administrator))
                items.Add(new WaitingItem("accounts", "Accounts", (await accounts.ListAsync(cancellationToken)).Count, "/Admin/Accounts/Index", Route()));
            return items;
        }

        /// <summary>How many invoices of the scope are overdue, and what they still owe per currency: every overdue invoice read.</summary>
        private async Task<OverdueTotals> OverdueTotalsAsync(CountryScope scope, DateOnly today)
        {
            // Not the request's token: other requests may be waiting for these figures. Summed as they are read, never held in a list:
            // on a full year that is thousands of invoices with their evaluations at once, and the heap keeps the size it grew to.
            var count = 0;
            var owed = new Dictionary<string, decimal>(StringComparer.Ordinal);
            await foreach (var invoice in invoices.PastDueAsync(scope, today, CancellationToken.None))
            {
                if (!invoice.IsOverdueOn(today)) continue;
                count++;
                var currency = invoice.Evaluation?.Currency ?? "";
                owed[currency] = owed.GetValueOrDefault(currency) + invoice.BalanceDue;
            }
            return new OverdueTotals(count, [.. owed.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Value, o.Key))]);
        }

        private sealed record OverdueTotals(int Count, IReadOnlyList<(decimal Amount, string Currency)> Amounts);

        /// <summary>The last twelve months of issued invoices and credit notes of <paramref name="country"/>, and what its clients owe by lateness.</summary>
        private async Task<Charts> ChartsAsync(string country, DateOnly today, CancellationToken cancellationToken)
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
            var months = Enumerable.Range(0, 12).Select(m => first.AddMonths(m).ToString("yyyy-MM", CultureInfo.InvariantCulture))
                .ToDictionary(m => m, _ => (Turnover: 0m, Contributions: 0m));
            await foreach (var invoice in invoices.ExportAsync(new InvoiceQuery(CountryScope.Only(country)) { From = first, To = today }, cancellationToken))
            {
                if (invoice.Status == InvoiceStatus.Draft || invoice.Evaluation is not { } evaluation) continue;
                var month = invoice.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                var (turnover, contributions) = months[month];
                months[month] = (turnover + evaluation.Totals.Net, contributions + evaluation.Contribution.Amount);
            }
            var overdue = AgeingModel.Buckets.None;
            await foreach (var invoice in invoices.OpenAsync(CountryScope.Only(country), cancellationToken))
                if (invoice.BalanceDue > 0m) overdue = overdue.Add(invoice.BalanceDue, invoice.DaysLateOn(today));
            return new Charts(country, plugins.Find(country)?.Manifest.Currency ?? "EUR",
                [.. months.Select(m => new MonthRow(m.Key, m.Value.Turnover, m.Value.Contributions))], overdue);
        }

        private async Task<IReadOnlyList<OverdueRow>> OverdueAsync(DateOnly today, CancellationToken cancellationToken)
        {
            var rows = new List<OverdueRow>();
            var scope = CountryScope.Of(user);
            await foreach (var invoice in invoices.PastDueAsync(scope, today, cancellationToken))
            {
                if (!invoice.IsOverdueOn(today)) continue;
                rows.Add(new OverdueRow(invoice.Id, invoice.Number, invoice.Country, invoice.DueDate!.Value, invoice.DaysLateOn(today),
                    invoice.BalanceDue, invoice.Evaluation?.Currency ?? ""));
                if (rows.Count == OverdueShown) break;
            }
            return rows;
        }

        private async Task<DirectoryCounts> CountAsync(string country, CancellationToken cancellationToken)
        {
            var scope = CountryScope.Only(country);
            // Take 0: the totals only, without sorting a country's whole directory for a row nobody reads.
            return new DirectoryCounts(
                (await members.SearchAsync(new MemberQuery(scope) { Take = 0 }, cancellationToken)).Total,
                (await units.SearchAsync(new ProductionUnitQuery(scope) { Take = 0 }, cancellationToken)).Total,
                (await clients.SearchAsync(new ClientQuery(scope) { Take = 0 }, cancellationToken)).Total);
        }
    }
}
