using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

using Smart.Web.Pages.Shared;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Contracts;

public partial class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Contracts { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Contracts = await mediator.Send(query);
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(ContractSort? sort = null, int? page = null)
    {
        return new ListRoute()
            .Filter(nameof(Query.Country), Filter.Country)
            .Filter(nameof(Query.Status), Filter.Status?.ToString())
            .Filter(nameof(Query.ProductionUnitId), Filter.ProductionUnitId)
            .Filter(nameof(Query.From), Filter.From)
            .Filter(nameof(Query.To), Filter.To)
            .Sorted(Filter.Sort, Filter.Desc, sort, page);
    }

    /// <summary>The list's filters; the export sends the same ones. The period is on the contract's start date.</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Country { get; set; }
        public ContractStatus? Status { get; set; }
        public int? ProductionUnitId { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public ContractSort Sort { get; set; } = ContractSort.StartDate;
        public bool Desc { get; set; }
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public ContractQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Country = Country, Status = Status, ProductionUnitId = ProductionUnitId, StartFrom = From, StartTo = To,
                Sort = Sort, Descending = Desc, Skip = (Math.Max(1, PageNumber) - 1) * PageSize, Take = PageSize,
            };
    }

    public sealed record Result(IReadOnlyList<Row> Contracts, int Total, int Page)
    {
        public static Result Empty { get; } = new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(Contract Contract, string? UnitName, string Currency, int MinorUnit);

    public sealed class Handler(IContractStore contracts, IProductionUnitStore units, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await contracts.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            var names = new Dictionary<int, string>();
            foreach (var unitId in found.Rows.Select(c => c.ProductionUnitId).Distinct())
                if (await units.GetAsync(unitId, cancellationToken) is { } unit && user.CanSee(unit.Country)) names[unitId] = unit.Name;
            return new Result(found.Rows.Select(c =>
            {
                var manifest = plugins.Find(c.Country)?.Manifest;
                return new Row(c, names.GetValueOrDefault(c.ProductionUnitId), manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }
}
