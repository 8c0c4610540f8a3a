using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.RuleSets;
using Smart.Rules.Evaluation;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// A draft in the code editor: its text in a plain form (so it works without JavaScript), saved only over the revision it was read
/// at, and checked on demand as submission checks it (every problem with its place, each of the file's tests passed or failed).
/// The check is also a JSON answer for the editor's inline markers. Partner administrators read the text here and change values on
/// <see cref="AddValueModel"/>.
/// </summary>
public class EditModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Save Data { get; set; } = new();

    public Result Draft { get; private set; } = null!;

    /// <summary>The check of the text in the form, after the Check button (without JavaScript; the editor asks for JSON instead).</summary>
    public CheckResult? Check { get; private set; }

    public async Task OnGetAsync(int id)
    {
        Draft = await mediator.Send(new Query(id));
        Data = new Save { Id = id, Revision = Draft.Version.Revision, Text = Draft.Version.Text };
    }

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Draft = await mediator.Send(new Query(id));
        Data.Id = id;
        var outcome = await mediator.Send(Data);
        if (!outcome.Updated)
        {
            // Never overwrite: the text stays in the form so its author can copy it into the newer version.
            ModelState.AddModelError("", Texts["Someone saved this draft after you opened it: nothing was saved. Copy your changes, open the draft again and apply them to its newer text."]);
            return Page();
        }
        TempData["Message"] = Texts["Draft saved."].Value;
        return RedirectToPage(new { id });
    }

    /// <summary>The check of the text being edited, not yet saved: a page without JavaScript, JSON for the editor.</summary>
    public async Task<IActionResult> OnPostCheckAsync(int id)
    {
        Draft = await mediator.Send(new Query(id));
        Data.Id = id;
        Check = await mediator.Send(new CheckText(id, Data.Text ?? ""));
        if (WantsJson(Request)) return new JsonResult(Check);
        // The posted revision is kept: a save after this check still refuses a stale form.
        ModelState.Clear();
        return Page();
    }

    private IStringLocalizer Texts => PageResources.For(typeof(EditModel), localizers);

    private static bool WantsJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    /// <summary>The draft, and whether this user edits its whole text or only bounded parameter values (on the dated-value form).</summary>
    public sealed record Result(RuleSetVersion Version, bool ValuesOnly);

    public sealed class Save : IRequest<UpdateOutcome<RuleSetVersion>>, IRequireRole
    {
        public int Id { get; set; }
        /// <summary>The draft's revision when the form was read: a save over a newer one is refused.</summary>
        public int Revision { get; set; }
        [Required(ErrorMessage = "The rule file cannot be empty."), StringLength(RuleLimits.FileCharacters), Display(Name = "Rule file")]
        public string? Text { get; set; }
        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Editors;
    }

    public sealed record CheckText(int Id, string Text) : IRequest<CheckResult>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    /// <summary>A check as the editor shows it: each problem at its place, each test with its differences.</summary>
    public sealed record CheckResult(bool Passed, IReadOnlyList<Problem> Problems, IReadOnlyList<Test> Tests)
    {
        /// <summary>The check with every problem written in the reader's language.</summary>
        public static CheckResult Of(DraftCheck check, IStringLocalizer texts) => new(check.Passed,
            [.. check.Problems.Select(p => Problem.Of(p, texts))],
            [.. check.Tests.Select(t => new Test(t.Index, t.Name, t.Passed, [.. t.Differences.Select(p => Problem.Of(p, texts))]))]);
    }

    /// <summary>A problem at its place: its sentence in the reader's language, and its stable code for the editor's markers.</summary>
    public sealed record Problem(string Path, int Line, string Message, string Code)
    {
        public static Problem Of(RuleSetProblem problem, IStringLocalizer texts) => new(problem.Path, problem.Line, texts.Show(problem), problem.Code);
    }

    public sealed record Test(int Index, string Name, bool Passed, IReadOnlyList<Problem> Differences);

    /// <summary>The version must be one the user may edit: their country (else 404), an editor's role, still a draft or returned.</summary>
    internal static async Task<RuleSetVersion> EditableAsync(IRuleSetStore store, CurrentUser user, int id, CancellationToken cancellationToken)
    {
        var version = await RuleSetAccess.VisibleVersionAsync(store, user, id, cancellationToken);
        if (!RuleSetAccess.MayEdit(user, version.Country)) throw new ForbiddenException($"{user.Email} may not edit {version.Key}.");
        return version;
    }

    /// <summary>A form posts its text area with CRLF line ends; rule files keep LF, so a save changes only the lines edited.</summary>
    internal static string Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    public sealed class QueryHandler(IRuleSetStore store, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken) =>
            new(await EditableAsync(store, user, query.Id, cancellationToken), RuleSetAccess.EditsValuesOnly(user));
    }

    /// <summary>
    /// Saves any text, even one that does not load yet (a draft is work in progress; submission refuses it until it passes), except
    /// that a values-only editor's save is refused where it changes more than bounded parameters' values, naming each place.
    /// </summary>
    public sealed class SaveHandler(IRuleSetStore store, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Save, UpdateOutcome<RuleSetVersion>>
    {
        public async Task<UpdateOutcome<RuleSetVersion>> Handle(Save command, CancellationToken cancellationToken)
        {
            var version = await EditableAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(EditModel), localizers);
            var text = Lines(command.Text!);
            if (!version.IsEditable)
                throw RequestValidationException.For<Save>("", texts["Only a draft or a returned version can be edited: start a new draft from the rule set."]);
            if (RuleSetAccess.EditsValuesOnly(user))
            {
                var basedOn = version.BasedOnId is { } basedOnId ? await store.GetAsync(basedOnId, cancellationToken) : null;
                var problems = RuleSetText.ValuesOnlyProblems(version.Key, basedOn?.Text, text);
                if (problems.Count > 0)
                    throw new RequestValidationException(typeof(Save), new Dictionary<string, string[]>
                    {
                        // One message: a field shows its first error only, and the places are the point.
                        [nameof(Save.Text)] = [$"{texts["A partner administrator may change only the dated values of parameters that declare bounds:"]} {string.Join("; ", problems.Select(texts.Place))}"],
                    });
            }
            return await store.SaveDraftAsync(version.Id, text, command.Revision, new AuditActor(user.Email), cancellationToken);
        }
    }

    public sealed class CheckHandler(IRuleSetStore store, RuleSetDrafts drafts, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<CheckText, CheckResult>
    {
        public async Task<CheckResult> Handle(CheckText request, CancellationToken cancellationToken)
        {
            var version = await EditableAsync(store, user, request.Id, cancellationToken);
            return CheckResult.Of(await drafts.CheckAsync(version with { Text = Lines(request.Text) }, user, cancellationToken), PageResources.For(typeof(EditModel), localizers));
        }
    }
}
