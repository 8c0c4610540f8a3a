using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Reevaluation;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>One version of a rule set: its text, what changed against the version it came from, its check, and the four-eyes steps.</summary>
public class VersionModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Version { get; private set; } = null!;
    [BindProperty] public Submit SubmitForm { get; set; } = new();
    [BindProperty] public Review ReviewForm { get; set; } = new();

    /// <summary>"discard": the page with the discard dialog open (the confirmation step without JavaScript).</summary>
    public string? Confirm { get; private set; }

    public async Task OnGetAsync(int id, string? confirm)
    {
        Version = await mediator.Send(new Query(id));
        Confirm = confirm == "discard" && Version.MayDiscard ? confirm : null;
    }

    /// <summary>Throws the draft away (after the dialog) and goes back to its rule set, where it no longer shows.</summary>
    public async Task<IActionResult> OnPostDiscardAsync(int id)
    {
        Version = await mediator.Send(new Query(id));
        await mediator.Send(new Discard(id));
        TempData["Message"] = PageResources.For(typeof(VersionModel), localizers)["Draft discarded."].Value;
        return RedirectToPage("RuleSet", new { key = Version.Version.Key });
    }

    public async Task<IActionResult> OnGetExportAsync(int id)
    {
        var version = await mediator.Send(new Export(id));
        var name = Path.GetFileName(version.Key);
        return File(Encoding.UTF8.GetBytes(version.Text), "application/json", name);
    }

    public async Task<IActionResult> OnPostSubmitAsync(int id)
    {
        Version = await mediator.Send(new Query(id));
        SubmitForm.Id = id;
        await mediator.Send(SubmitForm);
        TempData["Message"] = PageResources.For(typeof(VersionModel), localizers)["Submitted for approval."].Value;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostPublishAsync(int id)
    {
        Version = await mediator.Send(new Query(id));
        ReviewForm.Id = id;
        ReviewForm.Publish = true;
        await mediator.Send(ReviewForm);
        TempData["Message"] = PageResources.For(typeof(VersionModel), localizers)["Published: the rule book in force is rebuilt and draft documents are being re-evaluated."].Value;
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostReturnAsync(int id)
    {
        Version = await mediator.Send(new Query(id));
        ReviewForm.Id = id;
        ReviewForm.Publish = false;
        await mediator.Send(ReviewForm);
        TempData["Message"] = PageResources.For(typeof(VersionModel), localizers)["Sent back to its author."].Value;
        return RedirectToPage(new { id });
    }

    /// <summary>Roll back: the text of this (earlier) version as a new draft, which then goes through the same approval.</summary>
    public async Task<IActionResult> OnPostRepublishAsync(int id)
    {
        var draft = await mediator.Send(new Republish(id));
        return RedirectToPage(new { id = draft.Id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record Export(int Id) : IRequest<RuleSetVersion>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record Discard(int Id) : IRequest<Unit>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    public sealed record Republish(int Id) : IRequest<RuleSetVersion>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    public sealed class Submit : IRequest<Unit>, IRequireRole
    {
        public int Id { get; set; }
        [Required(ErrorMessage = "Say why this change is made."), StringLength(1000), Display(Name = "Reason")]
        public string Reason { get; set; } = "";
        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Editors;
    }

    /// <summary>An approver's decision: publish, or send back with a comment (required then).</summary>
    public sealed class Review : IRequest<Unit>, IRequireRole, IValidatableObject
    {
        public int Id { get; set; }
        public bool Publish { get; set; }
        [StringLength(1000), Display(Name = "Comment")]
        public string? Comment { get; set; }
        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Approvers;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            if (!Publish && string.IsNullOrWhiteSpace(Comment))
                yield return new(Texts(context)["Say what must change before it can be published."], [nameof(Comment)]);
        }
    }

    /// <summary>A line of the readable diff: unchanged context, inserted, deleted, or a fold standing for unchanged lines not shown.</summary>
    public sealed record DiffLine(ChangeType Kind, int? Number, string Text, int Folded = 0)
    {
        /// <summary>In place of the diff of texts too long to compare: the line diff's cost grows with lines × differences.</summary>
        public static DiffLine TooLong { get; } = new(ChangeType.Imaginary, null, "");
    }

    /// <summary>Lines either text may have for a diff (the longest shipped rule file has 114 lines; a hostile one could have a million).</summary>
    private const int DiffLines = 5_000;

    public sealed record Result(RuleSetVersion Version, RuleSetVersion? ComparedWith, IReadOnlyList<DiffLine> Diff, DraftCheck? Check,
        bool MayEdit, bool MayReview, bool IsAuthor, bool MaySimulate, bool MayRepublish, IReadOnlyList<AuditEntry> Audit, DateOnly? TakesEffect = null)
    {
        /// <summary>What the change means parameter by parameter, shown above the text diff.</summary>
        public IReadOnlyList<ParameterChange> ParameterChanges { get; init; } = [];

        /// <summary>Whether this user may throw the draft away: its author or a compliance officer, while it is a draft or returned.</summary>
        public bool MayDiscard { get; init; }
    }

    public sealed class Handler(IRuleSetStore store, RuleSetDrafts drafts, IAuditLog audit, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, query.Id, cancellationToken);
            var history = await store.HistoryAsync(version.Key, cancellationToken);
            // Against the version it was edited from; for a first or imported version, the one numbered before it.
            var compared = (version.BasedOnId is { } basedOn ? history.FirstOrDefault(v => v.Id == basedOn) : null)
                ?? history.FirstOrDefault(v => v.Number < version.Number && v.Status != RuleSetVersionStatus.Discarded);
            // A published version was checked when it was submitted and approved; only pending ones are checked again.
            var check = version.IsPublished ? null : await drafts.CheckAsync(version, user, cancellationToken);
            var number = version.Number.ToString(CultureInfo.InvariantCulture);
            var entries = (await audit.ForEntityAsync(AuditedEntity.RuleSet, version.Key, 200, cancellationToken))
                .Where(e => e.Changes.Any(c => c.Field == "version" && c.After == number)).ToList();
            return new Result(version, compared, compared is null ? [] : Diff(compared.Text, version.Text), check,
                version.IsEditable && RuleSetAccess.MayEdit(user, version.Country), RuleSetAccess.MayReview(user, version),
                RuleSetAccess.IsAuthor(user, version), !version.IsPublished,
                version.IsPublished && RuleSetAccess.MayEdit(user, version.Country), entries,
                compared is null ? null : RuleSetText.FirstDayChanged(compared.Text, version.Text))
            {
                ParameterChanges = compared is null ? [] : RuleSetText.ParameterChanges(compared.Text, version.Text),
                MayDiscard = RuleSetAccess.MayDiscard(user, version),
            };
        }

        /// <summary>The changed lines with three lines of context each side; longer unchanged stretches folded.</summary>
        private static List<DiffLine> Diff(string before, string after)
        {
            if (before.Count(c => c == '\n') > DiffLines || after.Count(c => c == '\n') > DiffLines) return [DiffLine.TooLong];
            var lines = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false).Lines;
            var keep = new bool[lines.Count];
            for (var i = 0; i < lines.Count; i++)
                if (lines[i].Type != ChangeType.Unchanged)
                    for (var j = Math.Max(0, i - 3); j <= Math.Min(lines.Count - 1, i + 3); j++) keep[j] = true;
            var diff = new List<DiffLine>();
            var folded = 0;
            for (var i = 0; i < lines.Count; i++)
            {
                if (!keep[i]) { folded++; continue; }
                if (folded > 0) { diff.Add(new(ChangeType.Unchanged, null, "", folded)); folded = 0; }
                diff.Add(new(lines[i].Type, lines[i].Position, lines[i].Text));
            }
            if (folded > 0 && diff.Count > 0) diff.Add(new(ChangeType.Unchanged, null, "", folded));
            return diff;
        }
    }

    public sealed class ExportHandler(IRuleSetStore store, CurrentUser user) : IRequestHandler<Export, RuleSetVersion>
    {
        public Task<RuleSetVersion> Handle(Export request, CancellationToken cancellationToken) =>
            RuleSetAccess.VisibleVersionAsync(store, user, request.Id, cancellationToken);
    }

    /// <summary>Only a draft or a returned version, by its author or a compliance officer; the audit keeps who threw it away.</summary>
    public sealed class DiscardHandler(IRuleSetStore store, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Discard, Unit>
    {
        public async Task<Unit> Handle(Discard command, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(VersionModel), localizers);
            if (!version.IsEditable) throw RequestValidationException.For<Discard>("", texts["Only a draft or a returned version can be discarded."]);
            if (!RuleSetAccess.MayDiscard(user, version)) throw new ForbiddenException($"{user.Email} may not discard {version.Key} #{version.Number}.");
            if (!(await store.DiscardAsync(version.Id, new AuditActor(user.Email), cancellationToken)).Updated)
                throw RequestValidationException.For<Discard>("", texts["Someone changed this version meanwhile; open it again."]);
            return Unit.Value;
        }
    }

    public sealed class RepublishHandler(IRuleSetStore store, CurrentUser user) : IRequestHandler<Republish, RuleSetVersion>
    {
        public async Task<RuleSetVersion> Handle(Republish request, CancellationToken cancellationToken)
        {
            var earlier = await RuleSetAccess.VisibleVersionAsync(store, user, request.Id, cancellationToken);
            if (!RuleSetAccess.MayEdit(user, earlier.Country)) throw new ForbiddenException($"{user.Email} may not edit {earlier.Key}.");
            var inForce = await store.InForceAsync(earlier.Key, cancellationToken);
            return await store.AddDraftAsync(earlier.Key, earlier.Country, earlier.Topic, earlier.Text, inForce?.Id ?? earlier.Id, new AuditActor(user.Email), cancellationToken);
        }
    }

    /// <summary>Submission runs the whole check again: a draft with any problem (bad JSON, an expression, a failing test) cannot be submitted.</summary>
    public sealed class SubmitHandler(IRuleSetStore store, RuleSetDrafts drafts, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Submit, Unit>
    {
        public async Task<Unit> Handle(Submit command, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(VersionModel), localizers);
            if (!RuleSetAccess.MayEdit(user, version.Country)) throw new ForbiddenException($"{user.Email} may not edit {version.Key}.");
            if (!version.IsEditable) throw RequestValidationException.For<Submit>("", texts["Only a draft or a returned version can be submitted."]);
            var check = await drafts.CheckAsync(version, user, cancellationToken);
            if (!check.Passed)
                throw new RequestValidationException(typeof(Submit), new Dictionary<string, string[]>
                {
                    [""] = [texts["The draft cannot be submitted until every problem is fixed:"], .. check.Problems.Select(texts.Place)],
                });
            var outcome = await store.SubmitAsync(version.Id, command.Reason.Trim(), new AuditActor(user.Email), cancellationToken);
            if (!outcome.Updated) throw RequestValidationException.For<Submit>("", texts["Someone changed this version meanwhile; open it again."]);
            return Unit.Value;
        }
    }

    /// <summary>
    /// Publication: by an approver who neither wrote nor submitted the version, after the check passes against the rules in force now.
    /// The book is rebuilt at once (the version's own dates say from when it applies) and draft documents of the country are re-evaluated.
    /// </summary>
    public sealed class ReviewHandler(IRuleSetStore store, RuleBookInForce rules, IMediator mediator, CurrentUser user, IStringLocalizerFactory localizers)
        : IRequestHandler<Review, Unit>
    {
        public async Task<Unit> Handle(Review command, CancellationToken cancellationToken)
        {
            var version = await RuleSetAccess.VisibleVersionAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(VersionModel), localizers);
            if (RuleSetAccess.IsAuthor(user, version))
                throw RequestValidationException.For<Review>("", texts["You wrote or submitted this version: another approver must decide."]);
            if (version.Status != RuleSetVersionStatus.Submitted)
                throw RequestValidationException.For<Review>("", texts["Only a submitted version can be published or sent back."]);
            var actor = new AuditActor(user.Email);
            if (!command.Publish)
            {
                if (!(await store.ReturnAsync(version.Id, command.Comment!.Trim(), actor, cancellationToken)).Updated)
                    throw RequestValidationException.For<Review>("", texts["Someone decided on this version meanwhile."]);
                return Unit.Value;
            }

            var check = rules.Book.Check(new RuleSource(version.Country, version.Key, version.Text));
            if (!check.Passed)
                throw new RequestValidationException(typeof(Review), new Dictionary<string, string[]>
                {
                    [""] = [texts["The version no longer passes its check against the rules in force:"], .. check.Problems.Select(texts.Place)],
                });
            if (!(await store.PublishAsync(version.Id, string.IsNullOrWhiteSpace(command.Comment) ? null : command.Comment.Trim(), actor, cancellationToken)).Updated)
                throw RequestValidationException.For<Review>("", texts["Someone decided on this version meanwhile."]);
            rules.Reload();
            await mediator.Send(new StartReevaluation.Command(ReevaluationReasons.Published(version.Key, version.Number), version.Country, "system:rule-publication"),
                cancellationToken);
            return Unit.Value;
        }
    }

    private static IStringLocalizer Texts(ValidationContext context) =>
        PageResources.For(typeof(VersionModel), (IStringLocalizerFactory)context.GetService(typeof(IStringLocalizerFactory))!);
}
