using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

using Smart.Web.Pages.Shared;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Members;

public partial class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Members { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Members = await mediator.Send(query);
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(MemberSort? sort = null, int? page = null)
    {
        return new ListRoute()
            .Filter(nameof(Query.Search), Filter.Search)
            .Filter(nameof(Query.Country), Filter.Country)
            .Filter(nameof(Query.Sector), Filter.Sector)
            .Filter(nameof(Query.Office), Filter.Office)
            .Filter(nameof(Query.Active), Filter.Active?.ToString())
            .Filter(nameof(Query.AuthorRightsAtLeast), Filter.AuthorRightsAtLeast)
            .Sorted(Filter.Sort, Filter.Desc, sort, page);
    }

    /// <summary>The list's filters; the export sends the same ones.</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Search { get; set; }
        public string? Country { get; set; }
        public string? Sector { get; set; }
        public string? Office { get; set; }
        public bool? Active { get; set; }
        /// <summary>From the home page's "nearing the author-rights ceiling" link.</summary>
        public decimal? AuthorRightsAtLeast { get; set; }
        public MemberSort Sort { get; set; } = MemberSort.Name;
        public bool Desc { get; set; }
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public MemberQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Search = Search, Country = Country, Sector = Sector, Office = Office?.Trim(), Active = Active,
                AuthorRightsAtLeast = AuthorRightsAtLeast, Sort = Sort, Descending = Desc, Skip = (Math.Max(1, PageNumber) - 1) * PageSize, Take = PageSize,
            };
    }

    public sealed record Result(IReadOnlyList<Row> Members, int Total, int Page)
    {
        public static Result Empty { get; } = new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(int Id, string Name, string Country, string Sector, string Office, DateOnly MemberSince,
        decimal AuthorRightsYearToDate, string Currency, int MinorUnit, bool Active);

    public sealed class Handler(IMemberStore members, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await members.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            return new Result(found.Rows.Select(m =>
            {
                var manifest = plugins.Find(m.Country)?.Manifest;
                return new Row(m.Id, m.Name, m.Country, m.Sector, m.Office, m.MemberSince, m.AuthorRightsYearToDate,
                    manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2, m.Active);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }
}
