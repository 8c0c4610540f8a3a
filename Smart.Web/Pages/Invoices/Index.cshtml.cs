using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

using Smart.Web.Pages.Shared;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

public class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Invoices { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Invoices = await mediator.Send(query);
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(InvoiceSort? sort = null, int? page = null)
    {
        var route = new ListRoute()
            .Filter(nameof(Query.Country), Filter.Country)
            .Filter(nameof(Query.Status), Filter.Status?.ToString())
            .Filter(nameof(Query.From), Filter.From)
            .Filter(nameof(Query.To), Filter.To)
            .Filter(nameof(Query.ProductionUnitId), Filter.ProductionUnitId)
            .Filter(nameof(Query.ClientId), Filter.ClientId)
            .Sorted(Filter.Sort, Filter.Desc, sort, page);
        // This list is newest first when Desc is absent: an ascending link must say so, or a second click on a header never reverses it.
        route.TryAdd(nameof(Query.Desc), "false");
        return route;
    }

    /// <summary>The list's filters; the export sends the same ones. Newest first unless told otherwise.</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Country { get; set; }
        public InvoiceStatus? Status { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public int? ProductionUnitId { get; set; }
        public int? ClientId { get; set; }
        public InvoiceSort Sort { get; set; } = InvoiceSort.Date;
        public bool Desc { get; set; } = true;
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public InvoiceQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Country = Country, Status = Status, From = From, To = To, ProductionUnitId = ProductionUnitId, ClientId = ClientId,
                Sort = Sort, Descending = Desc, Skip = (Math.Max(1, PageNumber) - 1) * PageSize, Take = PageSize,
            };
    }

    public sealed record Result(IReadOnlyList<Row> Invoices, int Total, int Page)
    {
        public static Result Empty { get; } = new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(int Id, string? Number, string Country, DateOnly Date, InvoiceStatus Status, int ProductionUnitId, string? UnitName,
        int ClientId, string? ClientName, decimal? Total, decimal BalanceDue, string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IProductionUnitStore units, IClientStore clients, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await invoices.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            // The page's units and clients in one read each, not one per row.
            var pageUnits = await units.GetManyAsync(found.Rows.Select(i => i.ProductionUnitId).Distinct().ToList(), cancellationToken);
            var pageClients = await clients.GetManyAsync(found.Rows.Select(i => i.ClientId).Distinct().ToList(), cancellationToken);
            var unitNames = found.Rows.Select(i => i.ProductionUnitId).Distinct().ToDictionary(id => id, id => pageUnits.GetValueOrDefault(id)?.Name);
            var clientNames = found.Rows.Select(i => i.ClientId).Distinct().ToDictionary(id => id, id => pageClients.GetValueOrDefault(id)?.Name);
            return new Result(found.Rows.Select(i =>
            {
                var manifest = plugins.Find(i.Country)?.Manifest;
                return new Row(i.Id, i.Number, i.Country, i.Date, i.StatusOn(today), i.ProductionUnitId, unitNames[i.ProductionUnitId], i.ClientId, clientNames[i.ClientId],
                    // What the invoice comes to once its credit notes are taken off (nothing once cancelled): the Total sort orders by the same.
                    i.Evaluation is null ? null : i.TotalAfterCredits, i.BalanceDue, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }
}
