using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules.Simulations;

/// <summary>
/// What a published version changed for documents already issued: starts the since-issue comparison over a period of its country's issued
/// invoices (each one's stored evaluation against the book as known now) and lists the version's earlier comparisons. A version of a country the
/// user cannot see is answered as missing.
/// </summary>
public class SinceIssueModel(IMediator mediator) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public Result Version { get; private set; } = null!;

    public async Task OnGetAsync(int versionId)
    {
        Version = await mediator.Send(new Query(versionId));
        Data = new Command { VersionId = versionId, From = Version.DefaultFrom, To = Version.DefaultTo };
    }

    public async Task<IActionResult> OnPostAsync(int versionId)
    {
        Version = await mediator.Send(new Query(versionId));
        Data.VersionId = versionId;
        var id = await mediator.Send(Data);
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int VersionId) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record Result(RuleSetVersion Version, IReadOnlyList<ImpactSimulation> Comparisons, DateOnly DefaultFrom, DateOnly DefaultTo);

    public sealed class Handler(IRuleSetStore store, ISimulationStore simulations, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, query.VersionId, cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            // From the first day the version changes what the one it replaced gave, to today (issued documents are dated up to today).
            var replaced = version.BasedOnId is { } basedOn ? await store.GetAsync(basedOn, cancellationToken) : null;
            var from = (replaced is null ? null : RuleSetText.FirstDayChanged(replaced.Text, version.Text)) ?? new DateOnly(today.Year, 1, 1);
            var to = today < from ? new DateOnly(from.Year, 12, 31) : today;
            if (to >= from.AddYears(StartModel.MaxYears)) to = from.AddYears(StartModel.MaxYears).AddDays(-1);
            var comparisons = (await simulations.OfVersionAsync(version.Id, cancellationToken)).Where(s => s.Mode == SimulationMode.SinceIssue).ToList();
            return new(version, comparisons, from, to);
        }
    }

    public sealed class Command : IRequest<int>, IRequireRole, IValidatableObject
    {
        public int VersionId { get; set; }

        [Required(ErrorMessage = "Give the first day of the period."), Display(Name = "From")]
        public DateOnly? From { get; set; }

        [Required(ErrorMessage = "Give the last day of the period."), Display(Name = "To")]
        public DateOnly? To { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Readers;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(SinceIssueModel), factory) : null;
            string T(string text) => texts?[text] ?? text;
            if (To < From)
                yield return new ValidationResult(T("The period ends before it starts."), [nameof(To)]);
            else if (To >= From!.Value.AddYears(StartModel.MaxYears))
                yield return new ValidationResult(T("A comparison covers at most two years."), [nameof(To)]);
        }
    }

    public sealed class CommandHandler(IRuleSetStore store, ISimulationStore simulations, SimulationJobs jobs, CurrentUser user, TimeProvider clock,
        IStringLocalizerFactory localizers) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, command.VersionId, cancellationToken);
            if (!version.IsPublished || version.PublishedAtUtc is null)
                throw RequestValidationException.For<Command>("", PageResources.For(typeof(SinceIssueModel), localizers)["Only a published version can have changed issued documents: simulate a draft instead."]);
            var simulation = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = version.Id, Key = version.Key, VersionNumber = version.Number, Country = CountryCode.Normalise(version.Country), DraftText = version.Text,
                From = command.From!.Value, To = command.To!.Value, StartedBy = user.Email, StartedAtUtc = clock.GetUtcNow().UtcDateTime,
                Mode = SimulationMode.SinceIssue, KnownBefore = version.PublishedAtUtc.Value.Kind == DateTimeKind.Local
                    ? version.PublishedAtUtc.Value.ToUniversalTime() : DateTime.SpecifyKind(version.PublishedAtUtc.Value, DateTimeKind.Utc),
            }, cancellationToken);
            jobs.Enqueue(simulation.Id);
            return simulation.Id;
        }
    }
}
