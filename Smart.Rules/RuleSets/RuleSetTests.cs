using System.Text.Json;
using Newtonsoft.Json.Linq;
using Smart.Rules.Evaluation;

namespace Smart.Rules.RuleSets;

/// <summary>
/// Runs the examples written inside a rule file: each input goes through the same evaluator as the API, and every
/// field listed under expect must come out equal (numbers compared as decimals; fields not listed are not checked).
/// </summary>
public static class RuleSetTests
{
    /// <summary>The web's JSON conventions, so a test input reads exactly like an API request.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RuleSetProblem> Run(RuleBook book, CompiledRuleSet set) =>
        RunEach(book, set).SelectMany(t => t.Differences).ToList();

    /// <summary>Each test of the file with what differed, so an editor can show which passed and which failed.</summary>
    public static IReadOnlyList<RuleSetTestResult> RunEach(RuleBook book, CompiledRuleSet set)
    {
        var evaluator = new DocumentEvaluator(book.Find(set.File.Country, set.Topic, set.ValidFrom) == set ? book : book.With(set));
        var results = new List<RuleSetTestResult>();
        for (var t = 0; t < set.File.Tests.Count; t++)
        {
            var test = set.File.Tests[t];
            var at = $"tests[{t}]";
            var problems = new List<RuleSetProblem>();
            try
            {
                var (actual, failure) = Evaluate(evaluator, set, test);
                if (failure is not null)
                    problems.Add(new(set.Path, $"{at}.input", LineOf(test.Input), ProblemKinds.TestRuleFailed.With(test.Name, failure)));
                else foreach (var (path, token, kind, arguments) in Compare(test.Expect, actual))
                    problems.Add(new(set.Path, $"{at}.expect{path}", LineOf(token), kind.With([test.Name, path, .. arguments])));
            }
            catch (Exception e) when (e is JsonException or Newtonsoft.Json.JsonException or InvalidOperationException)
            {
                problems.Add(new(set.Path, $"{at}.input", LineOf(test.Input), ProblemKinds.TestInputUnreadable.With(test.Name, e.Message)));
            }
            results.Add(new(t, test.Name, problems));
        }
        return results;
    }

    /// <summary>
    /// Dated values (and rules dated by validFrom / validTo) after the file's first day whose first day, or the day before it,
    /// no embedded test evaluates: one warning each, naming the days missing. A warning, not a load problem, so a draft that
    /// adds a dated value through the form can still be checked and submitted; the shipped files are held at none by a test.
    /// A test's day is its input's date; for late-payment rules, its due date when it has one (the day their figures are read).
    /// </summary>
    public static IReadOnlyList<RuleSetProblem> UntestedDates(CompiledRuleSet set) => UntestedDates(set.Path, set.File);

    public static IReadOnlyList<RuleSetProblem> UntestedDates(string path, RuleSetFile file)
    {
        var tested = new HashSet<DateOnly>();
        foreach (var test in file.Tests)
        {
            var day = (file.Topic == Topics.LatePayment ? test.Input.Value<string>("dueDate") : null) ?? test.Input.Value<string>("date");
            if (DateOnly.TryParseExact(day, "yyyy-MM-dd", out var date)) tested.Add(date);
        }
        var warnings = new List<RuleSetProblem>();
        void Check(string at, ProblemText what, DateOnly before, DateOnly on)
        {
            var missing = new[] { before, on }.Where(d => !tested.Contains(d)).ToList();
            if (missing.Count == 1) warnings.Add(new(path, at, 0, ProblemKinds.UntestedDate.With(what, missing[0])));
            else if (missing.Count == 2) warnings.Add(new(path, at, 0, ProblemKinds.UntestedDates.With(what, missing[0], missing[1])));
        }
        foreach (var (name, parameter) in file.Parameters)
            for (var v = 0; v < parameter.Values.Count; v++)
                if (parameter.Values[v].From > file.ValidFrom)
                    Check($"parameters.{name}.values[{v}].from", ProblemKinds.ParameterFrom.With(name, parameter.Values[v].From), parameter.Values[v].From.AddDays(-1), parameter.Values[v].From);
        var r = 0;
        foreach (var rule in file.Workflow.Rules ?? [])
        {
            var at = $"workflow.Rules[{r++}].Properties";
            if (Dated(rule, "validFrom") is { } from && from > file.ValidFrom) Check($"{at}.validFrom", ProblemKinds.RuleFrom.With(rule.RuleName, from), from.AddDays(-1), from);
            if (Dated(rule, "validTo") is { } to) Check($"{at}.validTo", ProblemKinds.RuleTo.With(rule.RuleName, to), to, to.AddDays(1));
        }
        return warnings;
    }

    private static DateOnly? Dated(RulesEngine.Models.Rule rule, string key) =>
        rule.Properties?.TryGetValue(key, out var value) == true
        && DateOnly.TryParseExact(value?.ToString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date : null;

    /// <summary>What a test's input gives, or which rule failed on it (threw or exceeded its budget).</summary>
    private static (JToken Actual, string? RuleFailure) Evaluate(DocumentEvaluator evaluator, CompiledRuleSet set, RuleSetTest test)
    {
        switch (test.Kind)
        {
            case "legal-form":
                var code = test.Input.Value<string>("code") ?? "";
                return (set.LegalForms.TryGetValue(code, out var form) ? JToken.FromObject(form, Newtonsoft.Json.JsonSerializer.Create(CamelCase))
                    : JObject.FromObject(new { error = $"unknown legal form '{code}'" }), null);
            case "contract":
                var contract = evaluator.EvaluateContract(Read<ContractDocument>(test.Input));
                return (ToToken(contract), contract.RuleFailure);
            case "expense":
                var expense = evaluator.EvaluateExpense(Read<ExpenseDocument>(test.Input));
                return (ToToken(expense), expense.RuleFailure);
            default:
                var invoice = evaluator.EvaluateInvoice(Read<InvoiceDocument>(test.Input));
                return (ToToken(invoice), invoice.RuleFailure);
        }
    }

    private static T Read<T>(JObject input) => JsonSerializer.Deserialize<T>(input.ToString(), Json)
        ?? throw new InvalidOperationException("the test input is empty");

    /// <summary>An outcome as JSON: the evaluation, or { errors } / { notCovered } so a test can expect a refusal.</summary>
    private static JToken ToToken<T>(Outcome<T> outcome) where T : class => JToken.Parse(outcome.Value is { } value
        ? JsonSerializer.Serialize(value, Json)
        : JsonSerializer.Serialize(new { errors = outcome.Errors, notCovered = outcome.NotCovered }, Json));

    private static IEnumerable<(string Path, JToken Token, ProblemKind Kind, object[] Arguments)> Compare(JToken expected, JToken? actual, string path = "")
    {
        switch (expected)
        {
            case JObject obj:
                if (actual is not JObject actualObject) { yield return (path, expected, ProblemKinds.TestExpectedObject, [Show(actual)]); yield break; }
                foreach (var property in obj.Properties())
                    foreach (var mismatch in Compare(property.Value, actualObject[property.Name], $"{path}.{property.Name}"))
                        yield return mismatch;
                break;
            case JArray array:
                if (actual is not JArray actualArray) { yield return (path, expected, ProblemKinds.TestExpectedList, [Show(actual)]); yield break; }
                // An empty list expects exactly none ("nothing unconfirmed"); otherwise the listed items are checked in order.
                if (array.Count == 0 && actualArray.Count > 0) yield return (path, expected, ProblemKinds.TestExpectedNoItems, [Show(actualArray)]);
                if (actualArray.Count < array.Count) yield return (path, expected, ProblemKinds.TestExpectedMoreItems, [array.Count, actualArray.Count]);
                for (var i = 0; i < Math.Min(array.Count, actualArray.Count); i++)
                    foreach (var mismatch in Compare(array[i], actualArray[i], $"{path}[{i}]"))
                        yield return mismatch;
                break;
            case JValue value when value.Type is JTokenType.Integer or JTokenType.Float:
                if (actual?.Type is not (JTokenType.Integer or JTokenType.Float) || actual.Value<decimal>() != value.Value<decimal>())
                    yield return (path, expected, ProblemKinds.TestValueDiffers, [Show(actual), value.ToString(Newtonsoft.Json.Formatting.None)]);
                break;
            case JValue { Type: JTokenType.String } text when text.Value<string>()!.EndsWith('…'):
                // "starts with": for long messages, e.g. "'GmbH' is not a legal form of BE…"
                if (actual?.Type != JTokenType.String || !actual.Value<string>()!.StartsWith(text.Value<string>()!.TrimEnd('…'), StringComparison.Ordinal))
                    yield return (path, expected, ProblemKinds.TestTextDiffers, [Show(actual), text.Value<string>()!.TrimEnd('…')]);
                break;
            default:
                if (!JToken.DeepEquals(expected, actual ?? JValue.CreateNull()))
                    yield return (path, expected, ProblemKinds.TestValueDiffers, [Show(actual), expected.ToString(Newtonsoft.Json.Formatting.None)]);
                break;
        }
    }

    private static object Show(JToken? token) => token is null ? ProblemKinds.Missing.With() : token.ToString(Newtonsoft.Json.Formatting.None);

    private static int LineOf(JToken token) => token is Newtonsoft.Json.IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;

    private static readonly Newtonsoft.Json.JsonSerializerSettings CamelCase = new()
    {
        ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
    };
}
