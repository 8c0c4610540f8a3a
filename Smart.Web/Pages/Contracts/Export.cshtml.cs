using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;

namespace Smart.Web.Pages.Contracts;

/// <summary>The contract list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
    [
        "Id", "Country", "ProductionUnitId", "MemberId", "StartDate", "EndDate", "Days", "Hours", "JobCategory", "Status", "Currency",
        "Budget", "MutualisedContribution", "EmployerContributions", "GrossSalary", "WorkerContributions", "NetBeforeTax",
    ];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter) =>
        CsvExport.File("contracts", clock, Columns, await mediator.Send(new Query(filter)), (csv, c) =>
        {
            var split = c.Evaluation?.Employment;
            csv.WriteField(c.Id, "");
            csv.WriteField(c.Country);
            csv.WriteField(c.ProductionUnitId, "");
            csv.WriteField(c.MemberId, "");
            csv.WriteField(c.StartDate, "");
            csv.WriteField(c.EndDate, "");
            csv.WriteField(c.Days, "");
            csv.WriteField(c.Hours, "");
            csv.WriteField(c.JobCategory);
            csv.WriteField(c.Status.ToString().ToLowerInvariant());
            csv.WriteField(c.Evaluation?.Currency ?? "");
            csv.WriteField(c.Budget, "");
            // Amounts as numbers, as the budget: only text is escaped against formulas.
            foreach (var amount in new[] { split?.MutualisedContribution, split?.EmployerContributions, split?.GrossSalary, split?.WorkerContributions, split?.NetBeforeTax })
                csv.WriteField(amount, "");
        });

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query Filter) : IRequest<IAsyncEnumerable<Contract>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => Filter.Country;
    }

    public sealed class Handler(IContractStore contracts, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<Contract>>
    {
        public Task<IAsyncEnumerable<Contract>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(contracts.ExportAsync(query.Filter.ToStoreQuery(user), cancellationToken));
    }
}
