using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

/// <summary>The client list as CSV, with the list's filters and sort, in the user's countries only.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Identifiers as stored, the kind as the API's code, so a spreadsheet or a script reads it the same in any language.</summary>
    public static readonly string[] Columns = ["Id", "Name", "Country", "Kind", "LegalForm", "VatNumber", "CompanyNumber", "Address", "City", "Email"];

    public async Task<IActionResult> OnGetAsync(IndexModel.Query query) =>
        CsvExport.File("clients", clock, Columns, await mediator.Send(new Query(query)), (csv, c) =>
        {
            csv.WriteField(c.Id, "");
            csv.WriteField(c.Name);
            csv.WriteField(c.Country);
            csv.WriteField(c.Kind.Code());
            csv.WriteField(c.LegalForm);
            csv.WriteField(c.VatNumber);
            csv.WriteField(c.CompanyNumber);
            csv.WriteField(c.Address);
            csv.WriteField(c.City);
            csv.WriteField(c.Email);
        });

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query List) : IRequest<IAsyncEnumerable<Client>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => List.Country;
    }

    public sealed class Handler(IClientStore clients, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<Client>>
    {
        public Task<IAsyncEnumerable<Client>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(clients.ExportAsync(query.List.ToStoreQuery(user), cancellationToken));
    }
}
