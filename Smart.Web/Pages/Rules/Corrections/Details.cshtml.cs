using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Behaviours;
using Smart.Web.Corrections;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>
/// One correction run: what was proposed and by whom, the approver's accept or reject (four eyes: never its proposer), then the job's progress
/// (the page's script polls <c>?handler=Progress</c>), the members' statements and the corrective documents it issued.
/// </summary>
public class DetailsModel(IMediator mediator) : PageModel
{
    [BindProperty] public Review Data { get; set; } = new();

    public Result Run { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Run = await mediator.Send(new Query(id));

    public async Task<IActionResult> OnGetProgressAsync(int id)
    {
        var run = (await mediator.Send(new Query(id))).Run;
        return new JsonResult(new Progress(run.Id, run.Status.ToString(), run.Percent, run.MemberYears, run.Statements, run.Invoices, run.Corrected));
    }

    public sealed record Progress(int Id, string Status, int Percent, int MemberYears, int Statements, int Invoices, int Corrected);

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Run = await mediator.Send(new Query(id));
        Data.Id = id;
        await mediator.Send(Data);
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => CorrectionAccess.Readers;
    }

    public sealed record Result(CorrectionRun Run, IReadOnlyList<RegularisationStatement> Statements, IReadOnlyList<CorrectiveDocuments> Corrections, bool MayReview)
    {
        public string Currency => Run.Currency ?? Statements.FirstOrDefault()?.Currency ?? "EUR";
    }

    public sealed class Handler(ICorrectionStore runs, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var run = await CorrectionAccess.VisibleAsync(runs, user, query.Id, cancellationToken);
            return new(run, await runs.StatementsAsync(run.Id, cancellationToken), await runs.CorrectionsAsync(run.Id, cancellationToken),
                // The form is an approver's, the proposer's too: their own accept is refused on it, with why.
                run.Status == CorrectionStatus.Proposed && user.IsInAnyRole(CorrectionAccess.Approvers));
        }
    }

    /// <summary>An approver's decision on a proposed run.</summary>
    public sealed class Review : IRequest<CorrectionStatus>, IRequireRole
    {
        public int Id { get; set; }

        /// <summary>True to accept (the job is queued), false to reject.</summary>
        public bool Accept { get; set; }

        [StringLength(500), Display(Name = "Comment")]
        public string? Note { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => CorrectionAccess.Approvers;
    }

    public sealed class ReviewHandler(ICorrectionStore runs, CorrectionJobs jobs, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers)
        : IRequestHandler<Review, CorrectionStatus>
    {
        public async Task<CorrectionStatus> Handle(Review review, CancellationToken cancellationToken)
        {
            var run = await CorrectionAccess.VisibleAsync(runs, user, review.Id, cancellationToken);
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            if (run.Status == CorrectionStatus.Proposed && !CorrectionAccess.MayReview(user, run))
                throw RequestValidationException.For<Review>("", texts["You proposed this run: another approver must accept or reject it."]);
            if (run.Status != CorrectionStatus.Proposed
                || !await runs.TryReviewAsync(run.Id, review.Accept, user.Email, clock.GetUtcNow().UtcDateTime, review.Note?.Trim(), cancellationToken))
                throw RequestValidationException.For<Review>("", texts["This run was already accepted or rejected."]);
            if (review.Accept) jobs.Enqueue(run.Id);
            return review.Accept ? CorrectionStatus.Approved : CorrectionStatus.Rejected;
        }
    }
}
