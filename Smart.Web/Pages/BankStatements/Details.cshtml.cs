using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.BankStatements;
using Smart.Web.Security;

namespace Smart.Web.Pages.BankStatements;

/// <summary>One imported statement, each movement with what became of it.</summary>
public class DetailsModel(IMediator mediator) : PageModel
{
    public Result Statement { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Statement = await mediator.Send(new Query(id));

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(BankStatement Statement, IReadOnlyList<StatementLine> Lines);

    public sealed class Handler(IBankStatementStore statements, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var statement = await statements.GetAsync(query.Id, cancellationToken);
            // Another country's statement is as absent as one that does not exist.
            if (statement is null || !user.CanSee(statement.Country)) throw new NotFoundException($"No bank statement {query.Id}.");
            return new Result(statement, await statements.LinesAsync(statement.Id, cancellationToken));
        }
    }
}
