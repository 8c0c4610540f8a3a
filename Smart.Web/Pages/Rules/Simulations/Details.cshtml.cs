using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Simulations;

/// <summary>
/// One impact simulation: its progress (the page's script polls <c>?handler=Progress</c> while it runs), then what the draft would change:
/// affected documents counted by kind and status, monthly totals before and after, and the affected documents a page at a time.
/// </summary>
public class DetailsModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;

    public Result Simulation { get; private set; } = null!;

    public async Task OnGetAsync(int id, [FromQuery(Name = "p")] int pageNumber = 1) => Simulation = await mediator.Send(new Query(id, Math.Max(1, pageNumber)));

    /// <summary>The counters as JSON, for the progress bar.</summary>
    public async Task<IActionResult> OnGetProgressAsync(int id)
    {
        var s = (await mediator.Send(new Query(id, 0))).Simulation;
        return new JsonResult(new Progress(s.Id, s.Status.ToString(), s.Percent, s.Total, s.Done, s.Affected, s.Failed));
    }

    public sealed record Progress(int Id, string Status, int Percent, int Total, int Done, int Affected, int Failed);

    public async Task<IActionResult> OnPostCancelAsync(int id)
    {
        await mediator.Send(new Cancel(id));
        return RedirectToPage("Details", new { id });
    }

    /// <param name="Page">The page of affected documents; 0 for none (the progress poll).</param>
    public sealed record Query(int Id, int Page = 1) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record Result(ImpactSimulation Simulation, SearchResult<SimulatedDocument> Affected, int Page)
    {
        public int Pages => Math.Max(1, (Affected.Total + PageSize - 1) / PageSize);
        public string Currency => Simulation.Currency ?? "EUR";
    }

    public sealed class Handler(ISimulationStore simulations, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var simulation = await VisibleAsync(simulations, user, query.Id, cancellationToken);
            var affected = query.Page < 1 ? SearchResult<SimulatedDocument>.Empty
                : await simulations.AffectedAsync(simulation.Id, (query.Page - 1) * PageSize, PageSize, cancellationToken);
            return new(simulation, affected, query.Page);
        }
    }

    /// <summary>Stops a simulation: anyone who may see it may cancel it (a draft's simulation can hold its queue's worker for long).</summary>
    public sealed record Cancel(int Id) : IRequest<Unit>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    /// <summary>
    /// A queued simulation ends Cancelled at once; a running one keeps the flag, which its job reads between documents and ends on within a
    /// fraction of a second. A finished one is left as it is.
    /// </summary>
    public sealed class CancelHandler(ISimulationStore simulations, CurrentUser user, TimeProvider clock) : IRequestHandler<Cancel, Unit>
    {
        public async Task<Unit> Handle(Cancel command, CancellationToken cancellationToken)
        {
            var simulation = await VisibleAsync(simulations, user, command.Id, cancellationToken);
            if (simulation.IsFinished) return Unit.Value;
            await simulations.RequestCancelAsync(simulation.Id, user.Email, cancellationToken);
            if (simulation.Status == SimulationStatus.Queued)
                await simulations.SaveAsync(simulation with
                {
                    Status = SimulationStatus.Cancelled,
                    CancelledBy = user.Email,
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                }, cancellationToken);
            return Unit.Value;
        }
    }

    /// <summary>The simulation, if the user may see its country; otherwise as if it did not exist.</summary>
    public static async Task<ImpactSimulation> VisibleAsync(ISimulationStore simulations, CurrentUser user, int id, CancellationToken cancellationToken)
    {
        var simulation = await simulations.GetAsync(id, cancellationToken);
        if (simulation is null || !user.CanSee(simulation.Country)) throw new NotFoundException($"No impact simulation {id}.");
        return simulation;
    }
}
