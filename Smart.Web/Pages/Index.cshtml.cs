using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages;

/// <summary>The home page: who the user is, which countries they see, and what needs their attention there.</summary>
public class IndexModel(IMediator mediator) : PageModel
{
    public Result Data { get; private set; } = new("", [], []);

    public async Task OnGetAsync() => Data = await mediator.Send(new Query());

    public sealed record Query : IRequest<Result>;

    public sealed record Result(string Name, IReadOnlyList<string> Roles, IReadOnlyList<CountryRow> Countries)
    {
        public IReadOnlyList<NearCeiling> NearCeilings { get; init; } = [];
        public IReadOnlyList<OverdueRow> Overdue { get; init; } = [];
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
        DocumentEvaluator evaluator, TimeProvider clock, IInvoiceStore invoices)
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
            return new Result(user.Name, user.Roles, countries)
            {
                NearCeilings = nearCeilings, Overdue = countsShown ? await OverdueAsync(today, cancellationToken) : [],
            };
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
