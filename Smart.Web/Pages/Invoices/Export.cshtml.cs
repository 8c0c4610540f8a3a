using System.Globalization;
using CsvHelper;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

/// <summary>The invoice list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, invariant numbers and ISO dates, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
        ["Id", "Number", "Country", "Date", "DueDate", "Status", "ProductionUnitId", "ClientId", "Issuer", "Currency", "Net", "Vat", "Gross", "Contribution"];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter)
    {
        var invoices = await mediator.Send(new Query(filter));
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var cancellation = HttpContext.RequestAborted;
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"invoices-{today:yyyy-MM-dd}.csv\"";
        await using var csv = CsvWriter.Create(Response.Body, CsvWriterOptions.Default with { FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.WriteHeader(Columns);
        await foreach (var invoice in invoices.WithCancellation(cancellation))
        {
            var evaluation = invoice.Evaluation;
            csv.WriteField(invoice.Id, "");
            csv.WriteField(invoice.Number ?? "");
            csv.WriteField(invoice.Country);
            csv.WriteField(invoice.Date, "");
            csv.WriteField(invoice.DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(invoice.Status.ToString().ToLowerInvariant());
            csv.WriteField(invoice.ProductionUnitId, "");
            csv.WriteField(invoice.ClientId, "");
            csv.WriteField(invoice.Issuer);
            csv.WriteField(evaluation?.Currency ?? "");
            csv.WriteField(evaluation?.Totals.Net.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(evaluation?.Totals.Vat.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(evaluation?.Totals.Gross.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(evaluation?.Contribution.Amount.ToString(CultureInfo.InvariantCulture) ?? "");
            await csv.EndRecordAsync(cancellation);
        }
        return new EmptyResult();
    }

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query Filter) : IRequest<IAsyncEnumerable<Invoice>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => Filter.Country;
    }

    public sealed class Handler(IInvoiceStore invoices, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<Invoice>>
    {
        public Task<IAsyncEnumerable<Invoice>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(invoices.ExportAsync(query.Filter.ToStoreQuery(user), cancellationToken));
    }
}
