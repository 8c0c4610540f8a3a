using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Reminders;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

/// <summary>The payment reminders sent for the invoices of the user's countries, newest first.</summary>
public class RemindersModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Result Reminders { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] int page = 1) => Reminders = await mediator.Send(new Query(page));

    public sealed record Query(int Page = 1) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(IReadOnlyList<PaymentReminder> Reminders, int Total, int Page)
    {
        public static Result Empty => new([], 0, 1);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed class Handler(IReminderStore reminders, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = Math.Max(1, query.Page);
            var scope = CountryScope.Of(user);
            var found = await reminders.SearchAsync(scope, (page - 1) * PageSize, PageSize, cancellationToken);
            return new Result(found.Rows, found.Total, page);
        }
    }
}
