using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// The common change as a form: a new dated value for one parameter of a draft (a rate from 1 January, an indexed ceiling). The value
/// goes into the draft's text after the parameter's last one, the rest of the file as it was, so the readable diff shows one line.
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
            if (TryParse(version.Text) is not { } root) return new(version, [], false);
            var valuesOnly = RuleSetAccess.EditsValuesOnly(user);
            var parameters = (root["parameters"] as JObject ?? []).Properties()
                .Where(p => p.Value is JObject parameter && (!valuesOnly || parameter["bounds"] is JObject))
                .Select(p => Describe(p.Name, (JObject)p.Value))
                .ToList();
            return new(version, parameters, true);
        }

        private static Parameter Describe(string name, JObject parameter)
        {
            var last = (parameter["values"] as JArray ?? []).OfType<JObject>().LastOrDefault();
            return new(name, parameter.Value<string>("description") ?? "", parameter.Value<string>("unit") ?? "",
                Bound(parameter, "min"), Bound(parameter, "max"), last?.Value<string>("from"), last?["value"]?.ToString(Formatting.None));
        }
    }

    public sealed class Handler(IRuleSetStore store, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Command, UpdateOutcome<RuleSetVersion>>
    {
        public async Task<UpdateOutcome<RuleSetVersion>> Handle(Command command, CancellationToken cancellationToken)
        {
            var version = await EditModel.EditableAsync(store, user, command.Id, cancellationToken);
            var texts = PageResources.For(typeof(AddValueModel), localizers);
            RequestValidationException On(string field, string message) => RequestValidationException.For<Command>(field, message);

            if (!version.IsEditable) throw On("", texts["Only a draft or a returned version can be edited: start a new draft from the rule set."]);
            if (TryParse(version.Text) is not { } root) throw On("", texts["The draft's text is not valid JSON: fix it in the editor first."]);
            var name = command.Parameter!.Trim();
            if ((root["parameters"] as JObject)?[name] is not JObject parameter)
                throw On(nameof(Command.Parameter), string.Format(CultureInfo.CurrentCulture, texts["The draft has no parameter '{0}'."].Value, name));
            if (RuleSetAccess.EditsValuesOnly(user) && parameter["bounds"] is not JObject)
                throw On(nameof(Command.Parameter), string.Format(CultureInfo.CurrentCulture,
                    texts["'{0}' declares no bounds: it is law or rule logic, which only a compliance officer may change."].Value, name));
            if (parameter["values"] is not JArray { Count: > 0 } values)
                throw On(nameof(Command.Parameter), string.Format(CultureInfo.CurrentCulture, texts["'{0}' has no dated values to add to: edit it in the code editor."].Value, name));

            var from = command.From!.Value;
            var last = values.OfType<JObject>().Select(v => DateOnly.TryParseExact(v.Value<string>("from"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue).Max();
            if (from <= last)
                throw On(nameof(Command.From), string.Format(CultureInfo.CurrentCulture,
                    texts["A new dated value must take effect after the last one, which is from {0}."].Value, last.ToString("d", CultureInfo.CurrentCulture)));
            if (DateOnly.TryParseExact(root.Value<string>("validTo"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var validTo) && from > validTo)
                throw On(nameof(Command.From), string.Format(CultureInfo.CurrentCulture,
                    texts["This rule set ends on {0}: a value from a later day belongs in the next one."].Value, validTo.ToString("d", CultureInfo.CurrentCulture)));

            var value = ParseValue(parameter, values, command.Value!, texts);
            var element = new JObject { ["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["value"] = value };
            if (command.Unconfirmed) element["unconfirmed"] = true;
            if (!string.IsNullOrWhiteSpace(command.Note)) element["note"] = command.Note.Trim();
            if (!string.IsNullOrWhiteSpace(command.SourceTitle))
            {
                var source = new JObject { ["title"] = command.SourceTitle.Trim() };
                if (!string.IsNullOrWhiteSpace(command.SourceArticle)) source["article"] = command.SourceArticle.Trim();
                if (!string.IsNullOrWhiteSpace(command.SourceUrl)) source["url"] = command.SourceUrl.Trim();
                element["source"] = source;
            }
            return await store.SaveDraftAsync(version.Id, WithDatedValue(version.Text, name, element), command.Revision, new AuditActor(user.Email), cancellationToken);
        }

        /// <summary>The typed value as the parameter's unit wants it, within its bounds; an error on Value otherwise.</summary>
        private static JToken ParseValue(JObject parameter, JArray values, string typed, IStringLocalizer texts)
        {
            RequestValidationException Refused(string message) => RequestValidationException.For<Command>(nameof(Command.Value), message);
            var unit = parameter.Value<string>("unit") ?? "";
            typed = typed.Trim();
            switch (unit)
            {
                case "text":
                    return typed;
                case "flag":
                    return typed.ToLowerInvariant() switch
                    {
                        "true" or "yes" or "1" => true,
                        "false" or "no" or "0" => false,
                        _ => throw Refused(texts["Write true or false."]),
                    };
            }
            var min = Bound(parameter, "min");
            var max = Bound(parameter, "max");
            // A list of numbers (a reminder schedule in days) stays a list.
            if (values.Last?["value"] is JArray)
            {
                var items = typed.Split([';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                var list = new JArray();
                foreach (var item in items)
                    list.Add(Number(item, unit, min, max, texts) ?? throw Refused(texts["Write numbers separated by semicolons, e.g. 15; 30; 60."]));
                return list.Count > 0 ? list : throw Refused(texts["Write numbers separated by semicolons, e.g. 15; 30; 60."]);
            }
            return Number(typed, unit, min, max, texts) ?? throw Refused(unit is "days" or "count"
                ? texts["Write a whole number."] : texts["Write a number, e.g. 0.12 or 12 % for a rate."]);
        }

        /// <summary>A number in either decimal separator (0,12 and 0.12 are one rate in every language), a rate also as a percentage.</summary>
        private static JValue? Number(string typed, string unit, decimal? min, decimal? max, IStringLocalizer texts)
        {
            var text = typed.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace("\u202f", "", StringComparison.Ordinal);
            var percent = unit == "rate" && text.EndsWith('%');
            if (percent) text = text[..^1];
            if (text.Count(c => c is ',' or '.') > 1) return null;
            if (!decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
            if (percent) number /= 100m;
            number /= 1.000000000000000000000000000000000m; // no trailing zeros in the file: 0.12, not 0.1200
            if (unit is "days" or "count" && number != decimal.Truncate(number)) return null;
            if (ParameterUnits.RangeOf(unit) is { } range && (number < range.Min || number > range.Max))
                throw RequestValidationException.For<Command>(nameof(Command.Value), string.Format(CultureInfo.CurrentCulture,
                    texts["{0} is beyond what this parameter's unit allows: from {1} to {2}."].Value, number.ToString(CultureInfo.InvariantCulture),
                    range.Min.ToString(CultureInfo.InvariantCulture), range.Max.ToString(CultureInfo.InvariantCulture)));
            if ((min is { } low && number < low) || (max is { } high && number > high))
                throw RequestValidationException.For<Command>(nameof(Command.Value), string.Format(CultureInfo.CurrentCulture,
                    texts["{0} is outside the bounds this parameter declares: from {1} to {2}."].Value,
                    number.ToString(CultureInfo.InvariantCulture), min?.ToString(CultureInfo.InvariantCulture) ?? "…", max?.ToString(CultureInfo.InvariantCulture) ?? "…"));
            return number == decimal.Truncate(number) ? new JValue((long)number) : new JValue(number);
        }
    }

    /// <summary>
    /// The draft's text with <paramref name="element"/> after the parameter's last dated value, on a line of its own aligned with it:
    /// the rest of the file keeps its layout. Should the text not allow that, the whole file is written indented instead.
    /// </summary>
    public static string WithDatedValue(string text, string parameter, JObject element)
    {
        var root = JObject.Parse(text, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load });
        var expected = (JObject)root.DeepClone();
        ((JArray)expected["parameters"]![parameter]!["values"]!).Add(element.DeepClone());
        try
        {
            var values = (JArray)root["parameters"]![parameter]!["values"]!;
            var lastPath = $"parameters.{parameter}.values[{values.Count - 1}]";
            var lineStarts = LineStarts(text);
            int? end = null;
            using (var reader = new JsonTextReader(new StringReader(text)))
                while (reader.Read())
                    if (reader.TokenType is JsonToken.EndObject && reader.Path == lastPath) { end = lineStarts[reader.LineNumber - 1] + reader.LinePosition; break; }
            var start = (IJsonLineInfo)values.Last!;
            if (end is { } at && at > 0 && at <= text.Length && text[at - 1] == '}' && start.HasLineInfo())
            {
                var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
                var indent = new string(' ', Math.Max(0, start.LinePosition - 1));
                var inserted = text.Insert(at, "," + newLine + indent + OneLine(element));
                if (JToken.DeepEquals(JObject.Parse(inserted), expected)) return inserted;
            }
        }
        catch (JsonException) { }
        return expected.ToString(Formatting.Indented);
    }

    /// <summary>A dated value written as the rule files write them: <c>{ "from": "2027-01-01", "value": 0.07 }</c>.</summary>
    private static string OneLine(JToken token) => token switch
    {
        JObject o => "{ " + string.Join(", ", o.Properties().Select(p => JsonConvert.ToString(p.Name) + ": " + OneLine(p.Value))) + " }",
        JArray a => "[" + string.Join(", ", a.Select(OneLine)) + "]",
        _ => token.ToString(Formatting.None),
    };

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        return starts;
    }

    private static JObject? TryParse(string text)
    {
        try { return JObject.Parse(text); }
        catch (JsonReaderException) { return null; }
    }

    private static decimal? Bound(JObject parameter, string name) =>
        parameter["bounds"]?[name] is JValue { Type: JTokenType.Integer or JTokenType.Float } bound ? bound.Value<decimal>() : null;
}
