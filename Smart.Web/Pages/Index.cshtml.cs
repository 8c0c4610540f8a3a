using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;

namespace Smart.Web.Pages;

/// <summary>The home page: who the user is, which countries they see, and what needs their attention there.</summary>
public class IndexModel(IMediator mediator) : PageModel
{
    public Result Data { get; private set; } = new("", [], []);

    public async Task OnGetAsync() => Data = await mediator.Send(new Query());

    public sealed record Query : IRequest<Result>;

    public sealed record Result(string Name, IReadOnlyList<string> Roles, IReadOnlyList<CountryRow> Countries);

    /// <summary>A visible country, named in the user's language when its plugin gives that name.</summary>
    public sealed record CountryRow(string Code, string Name, string Currency);

    public sealed class Handler(CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var countries = user.VisibleCountries
                .Select(code => plugins.Find(code)?.Manifest is { } manifest
                    ? new CountryRow(code, manifest.Names.GetValueOrDefault(language) ?? manifest.Names.GetValueOrDefault("en") ?? code, manifest.Currency)
                    : new CountryRow(code, code, ""))
                .ToList();
            return Task.FromResult(new Result(user.Name, user.Roles, countries));
        }
    }
}
