using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// The common change as a form: a new dated value for one parameter of a draft (a rate from 1 January, an indexed ceiling). What the
/// value means in the file (its day, its unit, its place after the last one) is <see cref="RuleSetText.AddDatedValue"/>'s; the page says it in the user's language.
/// A partner administrator sees only the parameters that declare bounds, and no value outside them is accepted from anyone.
/// </summary>
public class AddValueModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public Result Draft { get; private set; } = null!;

    public async Task OnGetAsync(int id, string? parameter)
    {
        Draft = await mediator.Send(new Query(id));
        Data = new Command { Id = id, Revision = Draft.Version.Revision, Parameter = parameter };
    }

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Draft = await mediator.Send(new Query(id));
        Data.Id = id;
        var outcome = await mediator.Send(Data);
        var texts = PageResources.For(typeof(AddValueModel), localizers);
        if (!outcome.Updated)
        {
            ModelState.AddModelError("", texts["Someone saved this draft after you opened the form: nothing was added. Check the draft's values and add yours again."]);
            // The value is inserted into whatever text is stored when sent again: offer the newer revision with the values it has.
            ModelState.Remove("Data.Revision");
            Data.Revision = outcome.Current?.Revision ?? Data.Revision;
            return Page();
        }
        TempData["Message"] = string.Format(CultureInfo.CurrentCulture, texts["{0}: value from {1} added to the draft."].Value, Data.Parameter, Data.From?.ToString("d", CultureInfo.CurrentCulture));
        return RedirectToPage("Edit", new { id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    /// <summary>The draft and the parameters this user may give a new value (none when the draft's text is not valid JSON).</summary>
    public sealed record Result(RuleSetVersion Version, IReadOnlyList<Parameter> Parameters, bool TextIsJson);

    /// <summary>A parameter as the form offers it: its unit, bounds and the value it has from its last date on.</summary>
    public sealed record Parameter(string Name, string Description, string Unit, decimal? Min, decimal? Max, string? LastFrom, string? LastValue);

    public sealed class Command : IRequest<UpdateOutcome<RuleSetVersion>>, IRequireRole, IValidatableObject
    {
        public int Id { get; set; }
        public int Revision { get; set; }
        [Required(ErrorMessage = "Choose a parameter."), Display(Name = "Parameter")]
        public string? Parameter { get; set; }
        [Required(ErrorMessage = "Give the day the value takes effect."), Display(Name = "From")]
        public DateOnly? From { get; set; }
        [Required(ErrorMessage = "Give the value."), StringLength(2000), Display(Name = "Value")]
        public string? Value { get; set; }
        [Display(Name = "Unconfirmed (not yet published law or policy)")]
        public bool Unconfirmed { get; set; }
        [StringLength(2000), Display(Name = "Note")]
        public string? Note { get; set; }
        [StringLength(500), Display(Name = "Source")]
        public string? SourceTitle { get; set; }
        [StringLength(200), Display(Name = "Article")]
        public string? SourceArticle { get; set; }
        [StringLength(1000), Url(ErrorMessage = "Give a full address (https://…)."), Display(Name = "Address")]
        public string? SourceUrl { get; set; }
        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Editors;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = PageResources.For(typeof(AddValueModel), (IStringLocalizerFactory)context.GetService(typeof(IStringLocalizerFactory))!);
            // A guess must say why it is one, so nobody mistakes it for law (docs/rule-sets.md).
            if (Unconfirmed && string.IsNullOrWhiteSpace(Note))
                yield return new(texts["Say in a note why the value is unconfirmed."], [nameof(Note)]);
            if (string.IsNullOrWhiteSpace(SourceTitle) && (!string.IsNullOrWhiteSpace(SourceArticle) || !string.IsNullOrWhiteSpace(SourceUrl)))
                yield return new(texts["Name the source (the law or official page) of the article or address."], [nameof(SourceTitle)]);
        }
    }

    public sealed class QueryHandler(IRuleSetStore store, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var version = await EditModel.EditableAsync(store, user, query.Id, cancellationToken);
            if (RuleSetText.TryParse(version.Text) is not { } root) return new(version, [], false);
            var valuesOnly = RuleSetAccess.EditsValuesOnly(user);
            var parameters = RuleSetText.Parameters(root)
                .Where(p => !valuesOnly || p.HasBounds)
                .Select(p => new Parameter(p.Name, p.Description, p.Unit, p.Min, p.Max, p.LastFrom, p.LastValue))
                .ToList();
            return new(version, parameters, true);
        }
    }

    public sealed class Handler(IRuleSetStore store, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Command, UpdateOutcome<RuleSetVersion>>
    {
        public async Task<UpdateOutcome<RuleSetVersion>> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = await EditModel.EditableAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(AddValueModel), localizers);
            RequestValidationException On(string field, string message) => RequestValidationException.For<Command>(field, message);
            string Text(string text, params object[] arguments) => string.Format(CultureInfo.CurrentCulture, texts[text].Value, arguments);

            if (!version.IsEditable) throw On("", texts["Only a draft or a returned version can be edited: start a new draft from the rule set."]);
            if (RuleSetText.TryParse(version.Text) is not { } root) throw On("", texts["The draft's text is not valid JSON: fix it in the editor first."]);
            var name = command.Parameter!.Trim();
            if (RuleSetText.Parameter(root, name) is not { } parameter)
                throw On(nameof(Command.Parameter), Text("The draft has no parameter '{0}'.", name));
            if (RuleSetAccess.EditsValuesOnly(user) && parameter["bounds"] is not JObject)
                throw On(nameof(Command.Parameter), Text("'{0}' declares no bounds: it is law or rule logic, which only a compliance officer may change.", name));

            var (text, refusal) = RuleSetText.AddDatedValue(version.Text, name, new NewDatedValue(command.From!.Value, command.Value!, command.Unconfirmed,
                command.Note, command.SourceTitle, command.SourceArticle, command.SourceUrl));
            if (refusal is not null)
                throw On(refusal.OnFrom ? nameof(Command.From) : refusal.OnValue ? nameof(Command.Value) : nameof(Command.Parameter), refusal.Problem switch
                {
                    DatedValueProblem.NoDatedValues => Text("'{0}' has no dated values to add to: edit it in the code editor.", name),
                    DatedValueProblem.NotAfterLast => Text("A new dated value must take effect after the last one, which is from {0}.", refusal.Arguments),
                    DatedValueProblem.AfterValidTo => Text("This rule set ends on {0}: a value from a later day belongs in the next one.", refusal.Arguments),
                    DatedValueProblem.NotAFlag => Text("Write true or false."),
                    DatedValueProblem.NotANumberList => Text("Write numbers separated by semicolons, e.g. 15; 30; 60."),
                    DatedValueProblem.NotAWholeNumber => Text("Write a whole number."),
                    DatedValueProblem.BeyondUnit => Text("{0} is beyond what this parameter's unit allows: from {1} to {2}.", refusal.Arguments),
                    DatedValueProblem.OutsideBounds => Text("{0} is outside the bounds this parameter declares: from {1} to {2}.", refusal.Arguments),
                    _ => Text("Write a number, e.g. 0.12 or 12 % for a rate."),
                });
            return await store.SaveDraftAsync(version.Id, text!, command.Revision, new AuditActor(user.Email), cancellationToken);
        }
    }
}
