using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
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

    public sealed record Result(string Name, IReadOnlyList<string> Roles, IReadOnlyList<CountryRow> Countries);

    /// <summary>A visible country, named in the user's language when its plugin gives that name; the counts only for roles that work on the directory.</summary>
    public sealed record CountryRow(string Code, string Name, string Currency, DirectoryCounts? Counts);

    public sealed record DirectoryCounts(int Members, int ProductionUnits, int Clients);

    public sealed class Handler(CurrentUser user, PluginCatalog plugins, IMemberStore members, IProductionUnitStore units, IClientStore clients)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var countsShown = user.IsInAnyRole(SmartRoles.MemberWork);
            var countries = new List<CountryRow>();
            foreach (var code in user.VisibleCountries)
            {
                var manifest = plugins.Find(code)?.Manifest;
                var name = manifest?.Names.GetValueOrDefault(language) ?? manifest?.Names.GetValueOrDefault("en") ?? code;
                countries.Add(new CountryRow(code, name, manifest?.Currency ?? "", countsShown ? await CountAsync(code, cancellationToken) : null));
            }
            return new Result(user.Name, user.Roles, countries);
        }

        private async Task<DirectoryCounts> CountAsync(string country, CancellationToken cancellationToken)
        {
            var scope = CountryScope.Only(country);
            return new DirectoryCounts(
                (await members.SearchAsync(new MemberQuery(scope) { Take = 1 }, cancellationToken)).Total,
                (await units.SearchAsync(new ProductionUnitQuery(scope) { Take = 1 }, cancellationToken)).Total,
                (await clients.SearchAsync(new ClientQuery(scope) { Take = 1 }, cancellationToken)).Total);
        }
    }
}
