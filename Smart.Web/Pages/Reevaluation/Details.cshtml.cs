using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Reevaluation;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Reevaluation;

/// <summary>One run with its progress; the page's script polls <c>?handler=Progress</c> while it runs.</summary>
public class DetailsModel(IMediator mediator) : PageModel
{
    public ReevaluationRun Run { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Run = await mediator.Send(new Query(id));

    /// <summary>The counters as JSON, for the progress bar.</summary>
    public async Task<IActionResult> OnGetProgressAsync(int id)
    {
        var run = await mediator.Send(new Query(id));
        return new JsonResult(new Progress(run.Id, run.Status.ToString(), run.Percent, run.Total, run.Done, run.Changed, run.Failed, run.Skipped));
    }

    public sealed record Progress(int Id, string Status, int Percent, int Total, int Done, int Changed, int Failed, int Skipped);

    public async Task<IActionResult> OnPostCancelAsync(int id)
    {
        await mediator.Send(new Cancel(id));
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<ReevaluationRun>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.ReevaluationWork;
    }

    public sealed class Handler(IReevaluationStore runs, CurrentUser user) : IRequestHandler<Query, ReevaluationRun>
    {
        public Task<ReevaluationRun> Handle(Query query, CancellationToken cancellationToken) => VisibleAsync(runs, user, query.Id, cancellationToken);
    }

    /// <summary>Stops a run: anyone who may see it may cancel it; its job reads the flag between documents and ends within a fraction of a second.</summary>
    public sealed record Cancel(int Id) : IRequest<Unit>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.ReevaluationWork;
    }

    public sealed class CancelHandler(IReevaluationStore runs, CurrentUser user) : IRequestHandler<Cancel, Unit>
    {
        public async Task<Unit> Handle(Cancel command, CancellationToken cancellationToken)
        {
            var run = await VisibleAsync(runs, user, command.Id, cancellationToken);
            if (!run.IsFinished) await runs.RequestCancelAsync(run.Id, user.Email, cancellationToken);
            return Unit.Value;
        }
    }

    /// <summary>The run, if the user may see it; otherwise as if it did not exist. A run of every country is seen only by those who see every country.</summary>
    public static async Task<ReevaluationRun> VisibleAsync(IReevaluationStore runs, CurrentUser user, int id, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null || (run.Country is null ? !user.SeesAllCountries : !user.CanSee(run.Country)))
            throw new NotFoundException($"No re-evaluation run {id}.");
        return run;
    }
}
