using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules.Simulations;

/// <summary>
/// Starts an impact simulation of an unpublished version (a draft, submitted or returned) over a period of its country's documents; lists the
/// version's earlier simulations. A version of a country the user cannot see is answered as missing.
/// </summary>
public class StartModel(IMediator mediator) : PageModel
{
    /// <summary>The longest period one simulation covers.</summary>
    public const int MaxYears = 2;

    [BindProperty] public Command Data { get; set; } = new();

    public Result Draft { get; private set; } = null!;

    public async Task OnGetAsync(int versionId)
    {
        Draft = await mediator.Send(new Query(versionId));
        Data = new Command { VersionId = versionId, From = Draft.DefaultFrom, To = Draft.DefaultTo };
    }

    public async Task<IActionResult> OnPostAsync(int versionId)
    {
        // Read first: a refused start renders this page again without running the GET.
        Draft = await mediator.Send(new Query(versionId));
        Data.VersionId = versionId;
        var id = await mediator.Send(Data);
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int VersionId) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record Result(RuleSetVersion Version, DraftCheck Check, IReadOnlyList<ImpactSimulation> Simulations, DateOnly DefaultFrom, DateOnly DefaultTo)
    {
        public bool MayStart => !Version.IsPublished && Check.Passed;
    }

    public sealed class Handler(IRuleSetStore store, ISimulationStore simulations, RuleBookInForce rules, CurrentUser user, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, query.VersionId, cancellationToken);
            var check = rules.Book.Check(new RuleSource(version.Country, version.Key, version.Text));
            var year = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).Year;
            return new(version, check, await simulations.OfVersionAsync(version.Id, cancellationToken), new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }
    }

    public sealed class Command : IRequest<int>, IRequireRole, IValidatableObject
    {
        public int VersionId { get; set; }

        [Required(ErrorMessage = "Give the first day of the period."), Display(Name = "From")]
        public DateOnly? From { get; set; }

        [Required(ErrorMessage = "Give the last day of the period."), Display(Name = "To")]
        public DateOnly? To { get; set; }

        /// <summary>Evaluate the period's documents with the draft's new values as if they had been in force then ("what would 7 % have cost in 2026?").</summary>
        [Display(Name = "Apply the draft's new values to the whole period, as if they had been in force then")]
        public bool AsIfInForce { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Readers;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(StartModel), factory) : null;
            string T(string text) => texts?[text] ?? text;
            if (To < From)
                yield return new ValidationResult(T("The period ends before it starts."), [nameof(To)]);
            else if (To >= From!.Value.AddYears(MaxYears))
                yield return new ValidationResult(T("A simulation covers at most two years."), [nameof(To)]);
        }
    }

    public sealed class CommandHandler(IRuleSetStore store, ISimulationStore simulations, RuleBookInForce rules,
        SimulationJobs jobs, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, command.VersionId, cancellationToken);
            var texts = PageResources.For(typeof(StartModel), localizers);
            if (version.IsPublished)
                throw RequestValidationException.For<Command>("", texts["A published version is in force already: simulate a draft."]);
            var check = rules.Book.Check(new RuleSource(version.Country, version.Key, version.Text));
            if (!check.Passed)
            {
                var first = check.Problems.FirstOrDefault();
                throw RequestValidationException.For<Command>("", texts["The draft does not pass its check ({0} problems; first: {1}): correct it before simulating.",
                    check.Problems.Count, first is null ? "" : texts.Place(first)]);
            }

            var text = version.Text;
            DateOnly? asIfFrom = null;
            if (command.AsIfInForce)
            {
                var inForce = await store.InForceAsync(version.Key, cancellationToken);
                if (inForce is null || RuleSetText.AsInForceFrom(inForce.Text, version.Text, command.From!.Value) is not { } shifted)
                    throw RequestValidationException.For<Command>(nameof(Command.AsIfInForce), texts["This version changes no parameter value that could be applied to the period."]);
                var shiftedCheck = rules.Book.Check(new RuleSource(version.Country, version.Key, shifted));
                if (!shiftedCheck.Passed)
                    throw RequestValidationException.For<Command>(nameof(Command.AsIfInForce), texts["With its values applied from the period's first day the version does not load: {0}",
                        shiftedCheck.Problems.FirstOrDefault() is { } problem ? texts.Place(problem) : ""]);
                (text, asIfFrom) = (shifted, command.From!.Value);
            }

            // The documents are counted by the job: over a year of volume the count alone takes seconds, which the form should not wait for.
            var simulation = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = version.Id, Key = version.Key, VersionNumber = version.Number, Country = CountryCode.Normalise(version.Country), DraftText = text,
                From = command.From!.Value, AsIfInForceFrom = asIfFrom, To = command.To!.Value, StartedBy = user.Email, StartedAtUtc = clock.GetUtcNow().UtcDateTime,
            }, cancellationToken);
            jobs.Enqueue(simulation.Id);
            return simulation.Id;
        }
    }
}
