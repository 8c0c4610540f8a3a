using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

/// <summary>The production unit list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns = ["Id", "Country", "Name", "MemberId", "Sector", "Status", "AvailableBudget", "Created"];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter) =>
        CsvExport.File("production-units", clock, Columns, await mediator.Send(new Query(filter)), (csv, unit) =>
        {
            csv.WriteField(unit.Id, "");
            csv.WriteField(unit.Country);
            csv.WriteField(unit.Name);
            csv.WriteField(unit.MemberId, "");
            csv.WriteField(unit.Sector);
            csv.WriteField(unit.Status == ProductionUnitStatus.Active ? "active" : "closed");
            csv.WriteField(unit.AvailableBudget, "");
            csv.WriteField(unit.Created, "");
        });

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query Filter) : IRequest<IAsyncEnumerable<ProductionUnit>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => Filter.Country;
    }

    public sealed class Handler(IProductionUnitStore units, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<ProductionUnit>>
    {
        public Task<IAsyncEnumerable<ProductionUnit>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(units.ExportAsync(query.Filter.ToStoreQuery(user), cancellationToken));
    }
}
