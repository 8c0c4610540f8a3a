using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Pages.Admin.Accounts;

public class IndexModel(IMediator mediator) : PageModel
{
    public Result Accounts { get; private set; } = new([]);

    public async Task OnGetAsync() => Accounts = await mediator.Send(new Query());

    public sealed record Query : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.Administrators;
    }

    public sealed record Result(IReadOnlyList<Row> Accounts);

    public sealed record Row(int Id, string Email, string DisplayName, IReadOnlyList<string> Roles, IReadOnlyList<string> Countries, bool Locked);

    public sealed class Handler(IAccountStore accounts, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var all = await accounts.ListAsync(cancellationToken);
            return new Result(all.Select(a => new Row(a.Id, a.Email, a.DisplayName, a.Roles, a.Countries, a.IsLockedAt(now))).ToList());
        }
    }
}
