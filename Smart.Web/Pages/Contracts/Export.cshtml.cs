using System.Globalization;
using CsvHelper;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Contracts;

/// <summary>The contract list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, invariant numbers and ISO dates, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
    [
        "Id", "Country", "ProductionUnitId", "MemberId", "StartDate", "EndDate", "Days", "Hours", "JobCategory", "Status", "Currency",
        "Budget", "MutualisedContribution", "EmployerContributions", "GrossSalary", "WorkerContributions", "NetBeforeTax",
    ];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter)
    {
        var contracts = await mediator.Send(new Query(filter));
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var cancellation = HttpContext.RequestAborted;
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"contracts-{today:yyyy-MM-dd}.csv\"";
        await using var csv = CsvWriter.Create(Response.Body, CsvWriterOptions.Default with { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.WriteHeader(Columns);
        await foreach (var c in contracts.WithCancellation(cancellation))
        {
            var split = c.Evaluation?.Employment;
            csv.WriteField(c.Id, "");
            csv.WriteField(c.Country);
            csv.WriteField(c.ProductionUnitId, "");
            csv.WriteField(c.MemberId, "");
            csv.WriteField(c.StartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            csv.WriteField(c.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(c.Days, "");
            csv.WriteField(c.Hours, "");
            csv.WriteField(c.JobCategory);
            csv.WriteField(c.Status.ToString().ToLowerInvariant());
            csv.WriteField(c.Evaluation?.Currency ?? "");
            csv.WriteField(c.Budget, "");
            foreach (var amount in new[] { split?.MutualisedContribution, split?.EmployerContributions, split?.GrossSalary, split?.WorkerContributions, split?.NetBeforeTax })
                csv.WriteField(amount?.ToString(CultureInfo.InvariantCulture) ?? "");
            await csv.EndRecordAsync(cancellation);
        }
        return new EmptyResult();
    }

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
