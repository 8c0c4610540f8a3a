using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ExpenseClaims;

public class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Claims { get; private set; } = Result.Empty;
    public Categories Names { get; private set; } = Categories.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Claims = await mediator.Send(query);
        Names = await mediator.Send(new CategoriesQuery());
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(ExpenseClaimSort? sort = null, int? page = null) =>
        new ListRoute()
            .Filter(nameof(Query.Country), Filter.Country)
            .Filter(nameof(Query.Status), Filter.Status?.ToString())
            .Filter(nameof(Query.ProductionUnitId), Filter.ProductionUnitId)
            .Filter(nameof(Query.Category), Filter.Category)
            .Filter(nameof(Query.From), Filter.From)
            .Filter(nameof(Query.To), Filter.To)
            .Sorted(Filter.Sort, Filter.Desc, sort, page);

    /// <summary>The list's filters; the export sends the same ones. The period is on the expense's date.</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Country { get; set; }
        public ExpenseClaimStatus? Status { get; set; }
        public int? ProductionUnitId { get; set; }
        public string? Category { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public ExpenseClaimSort Sort { get; set; } = ExpenseClaimSort.Date;
        public bool Desc { get; set; }
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public ExpenseClaimQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Country = Country, Status = Status, ProductionUnitId = ProductionUnitId, Category = Category, From = From, To = To,
                Sort = Sort, Descending = Desc, Skip = (Math.Max(1, PageNumber) - 1) * PageSize, Take = PageSize,
            };
    }

    public sealed record Result(IReadOnlyList<Row> Claims, int Total, int Page)
    {
        public static Result Empty { get; } = new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(ExpenseClaim Claim, string? UnitName, string Currency, int MinorUnit);

    public sealed class Handler(IExpenseClaimStore claims, IProductionUnitStore units, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await claims.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            var named = await units.GetManyAsync(found.Rows.Select(c => c.ProductionUnitId).Distinct().ToList(), cancellationToken);
            return new Result(found.Rows.Select(c =>
            {
                var manifest = plugins.Find(c.Country)?.Manifest;
                var unitName = named.TryGetValue(c.ProductionUnitId, out var unit) && user.CanSee(unit.Country) ? unit.Name : null;
                return new Row(c, unitName, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }

    /// <summary>
    /// The expense categories of the user's countries, from each country's expenses rule set in force today, named in the user's language:
    /// the form's choices, the list's filter and the names pages show instead of codes.
    /// </summary>
    public sealed record CategoriesQuery : IRequest<Categories>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Category(string Code, string Kind, string Name);

    public sealed record CountryCategories(string Country, string CountryName, IReadOnlyList<Category> Categories);

    public sealed record Categories(IReadOnlyList<CountryCategories> Countries)
    {
        public static Categories Empty { get; } = new([]);

        /// <summary>A category's name in its country, or its code when the rule set in force no longer lists it.</summary>
        public string NameOf(string country, string code) =>
            Countries.FirstOrDefault(c => c.Country == country)?.Categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;
    }

    public sealed class CategoriesHandler(DocumentEvaluator evaluator, PluginCatalog plugins, CurrentUser user, TimeProvider clock) : IRequestHandler<CategoriesQuery, Categories>
    {
        public Task<Categories> Handle(CategoriesQuery request, CancellationToken cancellationToken)
        {
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var countries = new List<CountryCategories>();
            foreach (var country in user.VisibleCountries)
            {
                if (evaluator.Book.Find(country, Topics.Expenses, today) is not { } set) continue;
                var manifest = plugins.Find(country)?.Manifest;
                var name = manifest?.Names.GetValueOrDefault(language) ?? manifest?.Names.GetValueOrDefault("en") ?? country;
                countries.Add(new(country, name, set.File.Categories.Select(c => new Category(c.Code, c.Kind, c.NameIn(language))).ToList()));
            }
            return Task.FromResult(new Categories(countries));
        }
    }
}
