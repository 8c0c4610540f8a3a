using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Behaviours;
using Smart.Web.Corrections;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>
/// A compliance officer proposes a correction run from a finished since-issue comparison: its country, version and publication, and a period
/// of issue dates within the comparison's (by default all of it). Nothing runs until an approver accepts it.
/// </summary>
public class ProposeModel(IMediator mediator) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public ImpactSimulation Comparison { get; private set; } = null!;

    public async Task OnGetAsync(int simulationId)
    {
        Comparison = await mediator.Send(new Query(simulationId));
        Data = new Command { SimulationId = simulationId, From = Comparison.From, To = Comparison.To };
    }

    public async Task<IActionResult> OnPostAsync(int simulationId)
    {
        Comparison = await mediator.Send(new Query(simulationId));
        Data.SimulationId = simulationId;
        var id = await mediator.Send(Data);
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int SimulationId) : IRequest<ImpactSimulation>, IRequireRole
    {
        public IReadOnlyList<string> Roles => CorrectionAccess.Proposers;
    }

    public sealed class Handler(ISimulationStore simulations, CurrentUser user) : IRequestHandler<Query, ImpactSimulation>
    {
        public async Task<ImpactSimulation> Handle(Query query, CancellationToken cancellationToken)
        {
            var simulation = await simulations.GetAsync(query.SimulationId, cancellationToken);
            if (simulation is null || simulation.Mode != SimulationMode.SinceIssue || !CorrectionAccess.MayPropose(user, simulation.Country))
                throw new NotFoundException($"No since-issue comparison {query.SimulationId}.");
            return simulation;
        }
    }

    public sealed class Command : IRequest<int>, IRequireRole, IValidatableObject
    {
        public int SimulationId { get; set; }

        [Required(ErrorMessage = "Give the first day of the period."), Display(Name = "From")]
        public DateOnly? From { get; set; }

        [Required(ErrorMessage = "Give the last day of the period."), Display(Name = "To")]
        public DateOnly? To { get; set; }

        [Required(ErrorMessage = "Say why the issued documents are corrected."), StringLength(500), Display(Name = "Reason")]
        public string? Reason { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => CorrectionAccess.Proposers;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(ProposeModel), factory) : null;
            if (To < From) yield return new ValidationResult(texts?["The period ends before it starts."] ?? "The period ends before it starts.", [nameof(To)]);
        }
    }

    public sealed class CommandHandler(ISimulationStore simulations, ICorrectionStore runs, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var comparison = await new Handler(simulations, user).Handle(new Query(command.SimulationId), cancellationToken);
            var texts = PageResources.For(typeof(ProposeModel), localizers);
            if (comparison.Status != SimulationStatus.Done)
                throw RequestValidationException.For<Command>("", texts["Only a finished comparison can be corrected."]);
            // A second run from the same differences would regularise the same member-years twice; a run's own re-comparison is its own.
            // Runs are a few a year: the country's last thousand hold every one that matters.
            var earlier = (await runs.ListAsync(CountryScope.Only(comparison.Country), 1_000, cancellationToken)).FirstOrDefault(r => r.ComparisonId == comparison.Id
                || (r.SourceSimulationId == comparison.Id && r.Status is not (CorrectionStatus.Rejected or CorrectionStatus.Failed)));
            if (earlier is not null)
                throw RequestValidationException.For<Command>("", earlier.ComparisonId == comparison.Id
                    ? texts["This comparison was made by correction run {0}: propose from a comparison of the version instead.", earlier.Id]
                    : texts["Correction run {0} was already proposed from this comparison.", earlier.Id]);
            if (command.From < comparison.From)
                throw RequestValidationException.For<Command>(nameof(Command.From), texts["The period is within the comparison's ({0} – {1}).", comparison.From.ToString("d"), comparison.To.ToString("d")]);
            if (command.To > comparison.To)
                throw RequestValidationException.For<Command>(nameof(Command.To), texts["The period is within the comparison's ({0} – {1}).", comparison.From.ToString("d"), comparison.To.ToString("d")]);
            var run = await runs.AddAsync(new CorrectionRun
            {
                Country = comparison.Country, From = command.From!.Value, To = command.To!.Value, SourceSimulationId = comparison.Id, VersionId = comparison.VersionId,
                Key = comparison.Key, VersionNumber = comparison.VersionNumber, KnownBefore = comparison.KnownBefore, Reason = command.Reason!.Trim(),
                ProposedBy = user.Email, ProposedAtUtc = clock.GetUtcNow().UtcDateTime, Currency = comparison.Currency,
            }, cancellationToken);
            return run.Id;
        }
    }
}
