using System.Globalization;
using CsvHelper;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Clients;

/// <summary>The client list as CSV, with the list's filters and sort, in the user's countries only.</summary>
public partial class ExportModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync(IndexModel.Query query)
    {
        var export = await mediator.Send(new Query(query));
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = export.FileName }.ToString();
        await export.WriteAsync(Response.Body, HttpContext.RequestAborted);
        return new EmptyResult();
    }

    public sealed record Query(IndexModel.Query List) : IRequest<Export>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => List.Country;
    }

    /// <summary>A file name with the day, and the rows, written as they are read from the store.</summary>
    public sealed record Export(string FileName, Func<Stream, CancellationToken, Task> WriteAsync);

    /// <summary>One CSV line: identifiers as stored, the kind as the API's code, so a spreadsheet or a script reads it the same in any language.</summary>
    [CsvRecord]
    public sealed partial record Line(int Id, string Name, string Country, string Kind, string? LegalForm, string? VatNumber, string? CompanyNumber,
        string? Address, string? City, string? Email);

    public sealed class Handler(IClientStore clients, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, Export>
    {
        public Task<Export> Handle(Query query, CancellationToken cancellationToken)
        {
            var storeQuery = query.List.ToStoreQuery(user);
            var fileName = $"clients-{ClientLegalForms.Today(clock).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
            return Task.FromResult(new Export(fileName, async (stream, ct) =>
            {
                // Invariant numbers and dates are CsvHelper's default; a name typed as "=…" must not run as a spreadsheet formula.
                await using var csv = CsvWriter.Create(stream, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true);
                await csv.WriteRecordsAsync(Lines(clients.ExportAsync(storeQuery, ct)), ct);
            }));
        }

        private static async IAsyncEnumerable<Line> Lines(IAsyncEnumerable<Client> rows)
        {
            await foreach (var c in rows)
                yield return new Line(c.Id, c.Name, c.Country, c.Kind.Code(), c.LegalForm, c.VatNumber, c.CompanyNumber, c.Address, c.City, c.Email);
        }
    }
}
