using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

public class IndexModel(IMediator mediator) : PageModel
{
    public Result RuleSets { get; private set; } = null!;

    public async Task OnGetAsync(string? country) => RuleSets = await mediator.Send(new Query(country));

    public sealed record Query(string? Country) : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    /// <summary>One rule set in force: its store key, version, validity, and how many versions wait to be published.</summary>
    public sealed record Row(string Key, string Country, string Topic, string Description, string Label, int Number, DateOnly ValidFrom, DateOnly? ValidTo,
        DateTime? PublishedAtUtc, int Pending, bool Compiled);

    /// <summary>The rule sets of the visible countries by country, the versions waiting for a decision, and problems of the book in force.</summary>
    public sealed record Result(string? Country, IReadOnlyList<string> Countries, IReadOnlyList<Row> RuleSets, IReadOnlyList<RuleSetVersion> Pending,
        IReadOnlyList<RuleSetProblem> Problems)
    {
        /// <summary>Import makes a draft: shown to the roles that may edit rule sets, as the import page allows.</summary>
        public bool MayImport { get; init; }
    }

    public sealed class Handler(IRuleSetStore store, RuleBookInForce rules, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var scope = string.IsNullOrEmpty(query.Country) ? CountryScope.Of(user) : CountryScope.Only(query.Country);
            var book = rules.Book;
            var pending = await store.PendingAsync(scope, cancellationToken);
            var rows = (await store.InForceAsync(cancellationToken))
                .Where(v => scope.Includes(v.Country))
                .Select(v =>
                {
                    var set = book.RuleSets.FirstOrDefault(s => s.Path == v.Key);
                    return new Row(v.Key, v.Country, v.Topic, set?.File.Description ?? "", set?.Version ?? "", v.Number,
                        set?.ValidFrom ?? default, set?.ValidTo, v.PublishedAtUtc, pending.Count(p => p.Key == v.Key), set is not null);
                })
                .OrderBy(r => r.Country, StringComparer.Ordinal).ThenBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.ValidFrom)
                .ToList();
            var problems = book.Problems.Where(p => rows.Any(r => r.Key == p.File)).ToList();
            return new Result(CountryCode.NormaliseOrNull(query.Country), user.VisibleCountries, rows, pending, problems)
            {
                MayImport = user.IsInAnyRole(RuleSetAccess.Editors),
            };
        }
    }
}
