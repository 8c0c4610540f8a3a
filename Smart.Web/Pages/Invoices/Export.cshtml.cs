using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

/// <summary>The invoice list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
        ["Id", "Number", "Country", "Date", "DueDate", "Status", "ProductionUnitId", "ClientId", "Issuer", "Currency", "Net", "Vat", "Gross", "Contribution"];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter) =>
        CsvExport.File("invoices", clock, Columns, await mediator.Send(new Query(filter)), (csv, invoice) =>
        {
            var evaluation = invoice.Evaluation;
            csv.WriteField(invoice.Id, "");
            csv.WriteField(invoice.Number ?? "");
            csv.WriteField(invoice.Country);
            csv.WriteField(invoice.Date, "");
            csv.WriteField(invoice.DueDate, "");
            csv.WriteField(invoice.Status.ToString().ToLowerInvariant());
            csv.WriteField(invoice.ProductionUnitId, "");
            csv.WriteField(invoice.ClientId, "");
            csv.WriteField(invoice.Issuer);
            csv.WriteField(evaluation?.Currency ?? "");
            // Amounts as numbers: a credit note's negative total stays a number, not text a spreadsheet shows with a quote.
            csv.WriteField(evaluation?.Totals.Net, "");
            csv.WriteField(evaluation?.Totals.Vat, "");
            csv.WriteField(evaluation?.Totals.Gross, "");
            csv.WriteField(evaluation?.Contribution.Amount, "");
        });

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
