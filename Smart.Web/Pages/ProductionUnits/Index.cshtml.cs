using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

using Smart.Web.Pages.Shared;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

public partial class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Units { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Units = await mediator.Send(query);
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(ProductionUnitSort? sort = null, int? page = null)
    {
        return new ListRoute()
            .Filter(nameof(Query.Search), Filter.Search)
            .Filter(nameof(Query.Country), Filter.Country)
            .Filter(nameof(Query.Sector), Filter.Sector)
            .Filter(nameof(Query.Status), Filter.Status?.ToString())
            .Filter(nameof(Query.MemberId), Filter.MemberId)
            .Sorted(Filter.Sort, Filter.Desc, sort, page);
    }

    /// <summary>The list's filters; the export sends the same ones.</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Search { get; set; }
        public string? Country { get; set; }
        public string? Sector { get; set; }
        public ProductionUnitStatus? Status { get; set; }
        public int? MemberId { get; set; }
        public ProductionUnitSort Sort { get; set; } = ProductionUnitSort.Name;
        public bool Desc { get; set; }
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public ProductionUnitQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Search = Search, Country = Country, Sector = Sector, Status = Status, MemberId = MemberId,
                Sort = Sort, Descending = Desc, Skip = (Math.Max(1, PageNumber) - 1) * PageSize, Take = PageSize,
            };
    }

    public sealed record Result(IReadOnlyList<Row> Units, int Total, int Page)
    {
        public static Result Empty { get; } = new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(int Id, string Name, string Country, int MemberId, string? MemberName, string Sector, ProductionUnitStatus Status,
        decimal AvailableBudget, string Currency, int MinorUnit);

    public sealed class Handler(IProductionUnitStore units, IMemberStore members, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await units.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            // The owners of the whole page in one read, not one per row.
            var owners = await members.GetManyAsync(found.Rows.Select(u => u.MemberId).Distinct().ToList(), cancellationToken);
            return new Result(found.Rows.Select(u =>
            {
                var manifest = plugins.Find(u.Country)?.Manifest;
                return new Row(u.Id, u.Name, u.Country, u.MemberId, owners.GetValueOrDefault(u.MemberId)?.Name, u.Sector, u.Status,
                    u.AvailableBudget, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }
}
