using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Members;

/// <summary>The member list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
    [
        "Id", "Country", "FirstName", "LastName", "Email", "NationalNumber", "BirthDate", "Sector", "Office", "MemberSince",
        "AuthorRightsYearToDate", "HasArtistAttestation", "Active", "ProfessionalIncomeYearToDate",
    ];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter) =>
        CsvExport.File("members", clock, Columns, await mediator.Send(new Query(filter)), (csv, m) =>
        {
            csv.WriteField(m.Id, "");
            csv.WriteField(m.Country);
            csv.WriteField(m.FirstName);
            csv.WriteField(m.LastName);
            csv.WriteField(m.Email);
            csv.WriteField(m.NationalNumber);
            csv.WriteField(m.BirthDate, "");
            csv.WriteField(m.Sector);
            csv.WriteField(m.Office);
            csv.WriteField(m.MemberSince, "");
            csv.WriteField(m.AuthorRightsYearToDate, "");
            csv.WriteField(m.HasArtistAttestation);
            csv.WriteField(m.Active);
            csv.WriteField(m.ProfessionalIncomeYearToDate, "");
        });

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query Filter) : IRequest<IAsyncEnumerable<Member>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => Filter.Country;
    }

    public sealed class Handler(IMemberStore members, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<Member>>
    {
        public Task<IAsyncEnumerable<Member>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(members.ExportAsync(query.Filter.ToStoreQuery(user), cancellationToken));
    }
}
