using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

public class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Query Filter { get; private set; } = new();
    public Result Data { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] Query query)
    {
        Filter = query;
        Data = await mediator.Send(query);
    }

    /// <summary>The current filters as route values, with another sort or page: for the column headers, the page links and the export.</summary>
    public Dictionary<string, string> RouteWith(InvoiceSort? sort = null, int? page = null)
    {
        var values = new Dictionary<string, string>();
        void Add(string key, string? value) { if (!string.IsNullOrWhiteSpace(value)) values[key] = value; }
        Add(nameof(Query.Country), Filter.Country);
        Add(nameof(Query.Status), Filter.Status?.ToString());
        Add(nameof(Query.From), Filter.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(nameof(Query.To), Filter.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add(nameof(Query.ProductionUnitId), Filter.ProductionUnitId?.ToString(CultureInfo.InvariantCulture));
        Add(nameof(Query.ClientId), Filter.ClientId?.ToString(CultureInfo.InvariantCulture));
        Add(nameof(Query.Sort), (sort ?? Filter.Sort).ToString());
        // A click on the column already sorted turns its order around.
        var descending = sort is null ? Filter.Desc : sort == Filter.Sort && !Filter.Desc;
        if (descending) Add(nameof(Query.Desc), "true");
        if ((page ?? 1) > 1) Add(nameof(Query.PageNumber), page!.Value.ToString(CultureInfo.InvariantCulture));
        return values;
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
        int ClientId, string? ClientName, decimal? Total, string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IProductionUnitStore units, IClientStore clients, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await invoices.SearchAsync(query.ToStoreQuery(user), cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var unitNames = new Dictionary<int, string?>();
            foreach (var id in found.Rows.Select(i => i.ProductionUnitId).Distinct())
                unitNames[id] = (await units.GetAsync(id, cancellationToken))?.Name;
            var clientNames = new Dictionary<int, string?>();
            foreach (var id in found.Rows.Select(i => i.ClientId).Distinct())
                clientNames[id] = (await clients.GetAsync(id, cancellationToken))?.Name;
            return new Result(found.Rows.Select(i =>
            {
                var manifest = plugins.Find(i.Country)?.Manifest;
                return new Row(i.Id, i.Number, i.Country, i.Date, i.StatusOn(today), i.ProductionUnitId, unitNames[i.ProductionUnitId], i.ClientId, clientNames[i.ClientId],
                    i.Evaluation?.Totals.Gross, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
            }).ToList(), found.Total, Math.Max(1, query.PageNumber));
        }
    }
}
