using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Behaviours;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

public class IndexModel(IMediator mediator) : PageModel, IPageChoices
{
    public const int PageSize = 50;

    public Result Clients { get; private set; } = new(new Query(), [], 0);

    /// <summary>The legal forms of the user's countries in force today, for the legal-form select.</summary>
    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) => await mediator.Send(new LegalFormChoices.Query(), cancellationToken);

    public async Task OnGetAsync(Query query) => Clients = await mediator.Send(query);

    /// <summary>The list's filters, sort and page, as the query string carries them (the export takes the same).</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Search { get; set; }
        public string? Country { get; set; }
        public ClientKind? Kind { get; set; }
        public string? LegalForm { get; set; }
        public ClientSort Sort { get; set; } = ClientSort.Name;
        public bool Desc { get; set; }
        /// <summary>Not "page": Razor Pages routes by that name.</summary>
        public int PageNumber { get; set; } = 1;

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        /// <summary>The store query in the user's countries; a country filter the user may not see has been refused before this.</summary>
        public ClientQuery ToStoreQuery(CurrentUser user) =>
            new(CountryScope.Of(user))
            {
                Search = Search, Country = Country, Kind = Kind, LegalForm = string.IsNullOrWhiteSpace(LegalForm) ? null : LegalForm.Trim(),
                Sort = Sort, Descending = Desc,
            };

        /// <summary>The route values of this query with another sort (a click on the sorted column turns its order around) or page, as every list builds them.</summary>
        public Dictionary<string, string> RouteWith(ClientSort? sort = null, int? page = null) =>
            new ListRoute()
                .Filter(nameof(Search), Search)
                .Filter(nameof(Country), Country)
                .Filter(nameof(Kind), Kind?.ToString())
                .Filter(nameof(LegalForm), LegalForm)
                .Sorted(Sort, Desc, sort, page);
    }

    public sealed record Result(Query Query, IReadOnlyList<Row> Clients, int Total)
    {
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed record Row(int Id, string Name, string Country, ClientKind Kind, string? LegalForm, string? VatNumber, string? City);

    public sealed class Handler(IClientStore clients, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            query.PageNumber = Math.Max(1, query.PageNumber);
            var found = await clients.SearchAsync(query.ToStoreQuery(user) with { Skip = (query.PageNumber - 1) * PageSize, Take = PageSize }, cancellationToken);
            var rows = found.Rows.Select(c => new Row(c.Id, c.Name, c.Country, c.Kind, c.LegalForm, c.VatNumber, c.City)).ToList();
            return new Result(query, rows, found.Total);
        }
    }
}
