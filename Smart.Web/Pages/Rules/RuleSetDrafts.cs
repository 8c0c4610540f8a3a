using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// Checks a draft the way submission does: everything <see cref="RuleBook.Check"/> finds against the book in force (JSON, schema,
/// expressions, periods, the file's own tests), and for a values-only editor, any change outside the bounded parameters' values.
/// </summary>
public sealed class RuleSetDrafts(RuleBookInForce rules, IRuleSetStore store)
{
    public async Task<DraftCheck> CheckAsync(RuleSetVersion draft, CurrentUser user, CancellationToken cancellationToken = default)
    {
        var check = rules.Book.Check(new RuleSource(draft.Country, draft.Key, draft.Text));
        if (!RuleSetAccess.EditsValuesOnly(user)) return check;
        var basedOn = draft.BasedOnId is { } id ? await store.GetAsync(id, cancellationToken) : null;
        var limits = ValuesOnlyProblems(draft.Key, basedOn?.Text, draft.Text);
        return limits.Count == 0 ? check : check with { Problems = [.. limits, .. check.Problems] };
    }

    /// <summary>
    /// What a values-only editor changed beyond the dated values of parameters that declare bounds (the loader already refuses a value
    /// outside them). Each problem names the place.
    /// </summary>
    public static IReadOnlyList<RuleSetProblem> ValuesOnlyProblems(string key, string? originalText, string draftText)
    {
        if (originalText is null) return [new(key, "", 0, "only a compliance officer may create a rule set")];
        JObject original, draft;
        try
        {
            original = JObject.Parse(originalText);
            draft = JObject.Parse(draftText);
        }
        catch (Newtonsoft.Json.JsonReaderException)
        {
            return []; // the loader reports bad JSON with its line
        }

        var problems = new List<RuleSetProblem>();
        var originalParameters = original["parameters"] as JObject ?? [];
        var draftParameters = draft["parameters"] as JObject ?? [];
        foreach (var property in draftParameters.Properties())
        {
            var before = originalParameters[property.Name];
            if (before is null)
            {
                problems.Add(new(key, $"parameters.{property.Name}", Line(property), $"a partner administrator cannot add the parameter '{property.Name}'"));
                continue;
            }
            if (JToken.DeepEquals(before["values"], property.Value["values"])) continue;
            if (before["bounds"] is null)
                problems.Add(new(key, $"parameters.{property.Name}.values", Line(property.Value["values"]),
                    $"'{property.Name}' declares no bounds: it is law or logic, which only a compliance officer may change"));
        }
        foreach (var property in originalParameters.Properties().Where(p => draftParameters[p.Name] is null))
            problems.Add(new(key, $"parameters.{property.Name}", 0, $"a partner administrator cannot remove the parameter '{property.Name}'"));

        // Everything else must be as it was: strip the values and compare what remains, field by field.
        foreach (var name in new[] { original, draft }.SelectMany(o => o.Properties().Select(p => p.Name)).Distinct())
        {
            if (name == "parameters") continue;
            if (!JToken.DeepEquals(original[name], draft[name]))
                problems.Add(new(key, name, Line(draft[name]), $"a partner administrator may change parameter values only, not '{name}'"));
        }
        foreach (var property in draftParameters.Properties())
        {
            if (originalParameters[property.Name] is not JObject before || property.Value is not JObject after) continue;
            foreach (var field in before.Properties().Select(p => p.Name).Union(after.Properties().Select(p => p.Name)).Where(f => f != "values"))
                if (!JToken.DeepEquals(before[field], after[field]))
                    problems.Add(new(key, $"parameters.{property.Name}.{field}", Line(after[field]),
                        $"a partner administrator may change parameter values only, not '{field}'"));
        }
        return problems;
    }

    private static int Line(JToken? token) => token is Newtonsoft.Json.IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
