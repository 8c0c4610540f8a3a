using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Smart.Rules.RuleSets;

/// <summary>A parameter as its file declares it: unit, bounds, and the value it has from its last date on (as the file writes it).</summary>
public sealed record ParameterText(string Name, string Description, string Unit, decimal? Min, decimal? Max, bool HasBounds, string? LastFrom, string? LastValue);

/// <summary>A dated value as a person gives it: the value typed as text, read by the parameter's unit.</summary>
public sealed record NewDatedValue(DateOnly From, string Value, bool Unconfirmed = false, string? Note = null,
    string? SourceTitle = null, string? SourceArticle = null, string? SourceUrl = null);

/// <summary>
/// A parameter whose value on <see cref="From"/> differs between two texts of a rule file: what it was on that day before the change and
/// what it is after (null: no value that day, as for a parameter added or removed).
/// </summary>
public sealed record ParameterChange(string Name, string Description, string Unit, DateOnly From, JToken? Before, JToken? After);

/// <summary>Why a new dated value cannot go into a file.</summary>
public enum DatedValueProblem
{
    /// <summary>The parameter has no dated values to add to.</summary>
    NoDatedValues,
    /// <summary>Arguments: the last value's day.</summary>
    NotAfterLast,
    /// <summary>Arguments: the file's last day.</summary>
    AfterValidTo,
    NotAFlag,
    NotAWholeNumber,
    NotANumber,
    NotANumberList,
    /// <summary>Arguments: the number, the unit's lowest and highest.</summary>
    BeyondUnit,
    /// <summary>Arguments: the number, the declared lowest and highest ("…" when open).</summary>
    OutsideBounds,
}

/// <summary>The refusal, with what its message names; <see cref="OnValue"/> tells the value from the day or the parameter.</summary>
public sealed record DatedValueRefusal(DatedValueProblem Problem, params object[] Arguments)
{
    public bool OnFrom => Problem is DatedValueProblem.NotAfterLast or DatedValueProblem.AfterValidTo;
    public bool OnValue => !OnFrom && Problem != DatedValueProblem.NoDatedValues;
}

/// <summary>
/// What a change to a rule file's text means, read from its JSON as the loader reads it: a dated value added the way the files write one,
/// a typed value read by its parameter's unit, the first day a change evaluates differently, and what a values-only editor changed beyond
/// bounded values. The rule pages, the prepared drafts and the simulations ask here, so they cannot disagree.
/// </summary>
public static class RuleSetText
{
    /// <summary>The file's JSON, or null when the text is not JSON (the loader reports that with its line).</summary>
    public static JObject? TryParse(string text)
    {
        try { return JObject.Parse(text); }
        catch (JsonReaderException) { return null; }
    }

    public static JObject? Parameter(JObject file, string name) => (file["parameters"] as JObject)?[name] as JObject;

    public static IReadOnlyList<ParameterText> Parameters(JObject file) =>
        (file["parameters"] as JObject ?? []).Properties().Where(p => p.Value is JObject).Select(p => Describe(p.Name, (JObject)p.Value)).ToList();

    /// <summary>
    /// The text with <paramref name="value"/> as the parameter's new last dated value, or why it cannot go in: after the last one, within
    /// the file's period, the value as the unit wants it and within the unit's range and the declared bounds.
    /// </summary>
    public static (string? Text, DatedValueRefusal? Refusal) AddDatedValue(string text, string parameterName, NewDatedValue value)
    {
        var file = TryParse(text) ?? throw new ArgumentException("The text is not JSON.", nameof(text));
        var parameter = Parameter(file, parameterName) ?? throw new ArgumentException($"No parameter '{parameterName}'.", nameof(parameterName));
        if (parameter["values"] is not JArray { Count: > 0 } values) return (null, new(DatedValueProblem.NoDatedValues));
        var last = values.OfType<JObject>().Select(v => Day(v["from"]) ?? DateOnly.MinValue).Max();
        if (value.From <= last) return (null, new(DatedValueProblem.NotAfterLast, last));
        if (Day(file["validTo"]) is { } validTo && value.From > validTo) return (null, new(DatedValueProblem.AfterValidTo, validTo));

        var (token, refusal) = ReadValue(parameter, value.Value);
        if (token is null) return (null, refusal);
        var element = new JObject { ["from"] = value.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["value"] = token };
        if (value.Unconfirmed) element["unconfirmed"] = true;
        if (!string.IsNullOrWhiteSpace(value.Note)) element["note"] = value.Note.Trim();
        if (!string.IsNullOrWhiteSpace(value.SourceTitle))
        {
            var source = new JObject { ["title"] = value.SourceTitle.Trim() };
            if (!string.IsNullOrWhiteSpace(value.SourceArticle)) source["article"] = value.SourceArticle.Trim();
            if (!string.IsNullOrWhiteSpace(value.SourceUrl)) source["url"] = value.SourceUrl.Trim();
            element["source"] = source;
        }
        return (WithDatedValue(text, parameterName, element), null);
    }

    /// <summary>The typed value as the parameter's unit wants it (text, flag, number, list of numbers), within its unit's range and bounds.</summary>
    public static (JToken? Value, DatedValueRefusal? Refusal) ReadValue(JObject parameter, string typed)
    {
        var unit = parameter.Value<string>("unit") ?? "";
        typed = typed.Trim();
        switch (unit)
        {
            case "text":
                return (typed, null);
            case "flag":
                return typed.ToLowerInvariant() switch
                {
                    "true" or "yes" or "1" => (true, null),
                    "false" or "no" or "0" => (false, null),
                    _ => (null, new(DatedValueProblem.NotAFlag)),
                };
        }
        var (min, max) = (Bound(parameter, "min"), Bound(parameter, "max"));
        // A list of numbers (a reminder schedule in days) stays a list.
        if ((parameter["values"] as JArray)?.Last?["value"] is JArray)
        {
            var list = new JArray();
            foreach (var item in typed.Split([';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var (number, refusal) = Number(item, unit, min, max);
                if (refusal is { Problem: DatedValueProblem.BeyondUnit or DatedValueProblem.OutsideBounds }) return (null, refusal);
                if (number is null) return (null, new(DatedValueProblem.NotANumberList));
                list.Add(number);
            }
            return list.Count > 0 ? (list, null) : (null, new(DatedValueProblem.NotANumberList));
        }
        var (single, problem) = Number(typed, unit, min, max);
        return (single, problem);
    }

    /// <summary>A number in either decimal separator (0,12 and 0.12 are one rate in every language), a rate also as a percentage.</summary>
    private static (JValue? Number, DatedValueRefusal? Refusal) Number(string typed, string unit, decimal? min, decimal? max)
    {
        var wrongShape = new DatedValueRefusal(unit is "days" or "count" ? DatedValueProblem.NotAWholeNumber : DatedValueProblem.NotANumber);
        var text = typed.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal).Replace("\u202f", "", StringComparison.Ordinal);
        var percent = unit == "rate" && text.EndsWith('%');
        if (percent) text = text[..^1];
        if (text.Count(c => c is ',' or '.') > 1) return (null, wrongShape);
        if (!decimal.TryParse(text.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return (null, wrongShape);
        if (percent) number /= 100m;
        number /= 1.000000000000000000000000000000000m; // no trailing zeros in the file: 0.12, not 0.1200
        if (unit is "days" or "count" && number != decimal.Truncate(number)) return (null, wrongShape);
        var figure = number.ToString(CultureInfo.InvariantCulture);
        if (ParameterUnits.RangeOf(unit) is { } range && (number < range.Min || number > range.Max))
            return (null, new(DatedValueProblem.BeyondUnit, figure, range.Min.ToString(CultureInfo.InvariantCulture), range.Max.ToString(CultureInfo.InvariantCulture)));
        if ((min is { } low && number < low) || (max is { } high && number > high))
            return (null, new(DatedValueProblem.OutsideBounds, figure, min?.ToString(CultureInfo.InvariantCulture) ?? "…", max?.ToString(CultureInfo.InvariantCulture) ?? "…"));
        return (number == decimal.Truncate(number) ? new JValue((long)number) : new JValue(number), null);
    }

    /// <summary>
    /// The text with <paramref name="element"/> after the parameter's last dated value, on a line of its own aligned with it: the rest of
    /// the file keeps its layout, so the readable diff shows one line. Should the text not allow that, the whole file is written indented.
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

    /// <summary>
    /// The first day on which documents would be evaluated differently: the earliest dated value added, removed or changed, or the file's
    /// first day when anything else (rules, dates, entries) changed. Null when only tests, notes or sources changed, or a text does not parse.
    /// </summary>
    public static DateOnly? FirstDayChanged(string beforeText, string afterText)
    {
        if (TryParse(beforeText) is not { } before || TryParse(afterText) is not { } after) return null;
        var logic = new[] { "validFrom", "validTo", "workflow", "entries" };
        if (logic.Any(name => !JToken.DeepEquals(before[name], after[name])))
            return new[] { Day(before["validFrom"]), Day(after["validFrom"]) }.Where(d => d is not null).Min();
        DateOnly? first = null;
        var names = ((before["parameters"] as JObject)?.Properties() ?? []).Concat((after["parameters"] as JObject)?.Properties() ?? []).Select(p => p.Name).Distinct();
        foreach (var name in names)
        {
            static IEnumerable<(DateOnly? From, string Value)> Values(JObject file, string parameter) =>
                (file["parameters"]?[parameter]?["values"] as JArray ?? []).Select(v => (Day(v["from"]), v["value"]?.ToString(Formatting.None) ?? ""));
            var changed = Values(before, name).ToHashSet();
            changed.SymmetricExceptWith(Values(after, name));
            foreach (var (from, _) in changed)
                if (from is { } day && (first is null || day < first)) first = day;
        }
        return first;
    }

    /// <summary>
    /// The parameter-level meaning of a change, as a reviewer reads it ("rate: 6.5 % → 7 % from 2027-01-01"): for each day on which a dated
    /// value was added, removed or changed, the value in force that day before and after, skipping days where both are the same. Parameters
    /// in the order of the new text, then those removed; days in order. Empty when a text does not parse.
    /// </summary>
    public static IReadOnlyList<ParameterChange> ParameterChanges(string beforeText, string afterText)
    {
        if (TryParse(beforeText) is not { } before || TryParse(afterText) is not { } after) return [];
        var beforeParameters = before["parameters"] as JObject ?? [];
        var afterParameters = after["parameters"] as JObject ?? [];
        var names = afterParameters.Properties().Concat(beforeParameters.Properties()).Select(p => p.Name).Distinct(StringComparer.Ordinal);
        var changes = new List<ParameterChange>();
        foreach (var name in names)
        {
            var was = beforeParameters[name] as JObject;
            var now = afterParameters[name] as JObject;
            var (old, current) = (DatedValues(was), DatedValues(now));
            var days = old.Select(v => (v.From, Key: v.Value?.ToString(Formatting.None))).ToHashSet();
            days.SymmetricExceptWith(current.Select(v => (v.From, Key: v.Value?.ToString(Formatting.None))));
            var described = now ?? was!;
            foreach (var day in days.Select(d => d.From).Distinct().Order())
            {
                var (valueBefore, valueAfter) = (ValueOn(old, day), ValueOn(current, day));
                if (JToken.DeepEquals(valueBefore, valueAfter)) continue;
                changes.Add(new(name, described.Value<string>("description") ?? "", described.Value<string>("unit") ?? "", day, valueBefore, valueAfter));
            }
        }
        return changes;
    }

    /// <summary>
    /// The draft's text as if its new values had been in force from <paramref name="day"/> ("what would 7 % have cost in 2026?"): each parameter
    /// the draft changes against <paramref name="inForceText"/> keeps its dated values before that day and takes, from it (or the file's first
    /// day, if later), the value the draft gives it from the last day it changes it. The file's tests are dropped: they check the real dates.
    /// Null when a text does not parse or the draft changes no parameter value.
    /// </summary>
    public static string? AsInForceFrom(string inForceText, string draftText, DateOnly day)
    {
        var changes = ParameterChanges(inForceText, draftText).Where(c => c.After is not null).ToList();
        if (changes.Count == 0 || TryParse(draftText) is not { } draft) return null;
        var from = Day(draft["validFrom"]) is { } validFrom && validFrom > day ? validFrom : day;
        foreach (var parameter in changes.GroupBy(c => c.Name, StringComparer.Ordinal))
        {
            var future = parameter.MaxBy(c => c.From)!.After!;
            if (Parameter(draft, parameter.Key) is not { } declared) continue;
            var values = new JArray((declared["values"] as JArray ?? []).OfType<JObject>().Where(v => Day(v["from"]) is { } at && at < from).Select(v => v.DeepClone()));
            values.Add(new JObject { ["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["value"] = future.DeepClone() });
            declared["values"] = values;
        }
        draft["tests"] = new JArray();
        return draft.ToString(Formatting.Indented);
    }

    /// <summary>A parameter's value as a person reads it in <paramref name="culture"/>: a rate as a percentage, numbers grouped, a list joined.</summary>
    public static string Show(JToken? value, string unit, IFormatProvider culture) => value switch
    {
        null or { Type: JTokenType.Null } => "—",
        JValue { Type: JTokenType.Float or JTokenType.Integer } number when Decimal(number) is { } figure =>
            unit == "rate" ? (figure * 100m).ToString("0.####", culture) + " %" : figure.ToString("#,0.####", culture),
        JValue { Type: JTokenType.Boolean } flag => flag.Value<bool>() ? "✓" : "✗",
        JValue { Type: JTokenType.String } text => text.Value<string>() ?? "",
        JArray list => string.Join("; ", list.Select(item => Show(item, unit, culture))),
        _ => value.ToString(Formatting.None),
    };

    /// <summary>The number as a decimal; null beyond decimal's range (a hostile 1e400, which the check reports), shown then as written.</summary>
    private static decimal? Decimal(JValue number)
    {
        try { return number.Value<decimal>(); }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException) { return null; }
    }

    private static List<(DateOnly From, JToken? Value)> DatedValues(JObject? parameter) =>
        (parameter?["values"] as JArray ?? []).OfType<JObject>()
            .Select(v => (From: Day(v["from"]), Value: v["value"])).Where(v => v.From is not null).Select(v => (v.From!.Value, v.Value))
            .OrderBy(v => v.Item1).ToList();

    private static JToken? ValueOn(List<(DateOnly From, JToken? Value)> values, DateOnly day) =>
        values.LastOrDefault(v => v.From <= day) is { From: var from } found && from != default ? found.Value : null;

    /// <summary>
    /// What a values-only editor changed beyond the dated values of parameters that declare bounds (the loader already refuses a value
    /// outside them). Each problem names the place; a file with no original is a new rule set, which is not a values-only change.
    /// </summary>
    public static IReadOnlyList<RuleSetProblem> ValuesOnlyProblems(string key, string? originalText, string draftText)
    {
        if (originalText is null) return [new(key, "", 0, ProblemKinds.OnlyOfficerCreates.With())];
        if (TryParse(originalText) is not { } original || TryParse(draftText) is not { } draft) return []; // the loader reports bad JSON with its line

        var problems = new List<RuleSetProblem>();
        var originalParameters = original["parameters"] as JObject ?? [];
        var draftParameters = draft["parameters"] as JObject ?? [];
        foreach (var property in draftParameters.Properties())
        {
            var before = originalParameters[property.Name];
            if (before is null)
            {
                problems.Add(new(key, $"parameters.{property.Name}", Line(property), ProblemKinds.PartnerAddsParameter.With(property.Name)));
                continue;
            }
            if (JToken.DeepEquals(before["values"], property.Value["values"])) continue;
            if (before["bounds"] is null)
                problems.Add(new(key, $"parameters.{property.Name}.values", Line(property.Value["values"]),
                    ProblemKinds.PartnerChangesUnbounded.With(property.Name)));
        }
        foreach (var property in originalParameters.Properties().Where(p => draftParameters[p.Name] is null))
            problems.Add(new(key, $"parameters.{property.Name}", 0, ProblemKinds.PartnerRemovesParameter.With(property.Name)));

        // Everything else must be as it was: strip the values and compare what remains, field by field.
        foreach (var name in new[] { original, draft }.SelectMany(o => o.Properties().Select(p => p.Name)).Distinct())
        {
            if (name == "parameters") continue;
            if (!JToken.DeepEquals(original[name], draft[name]))
                problems.Add(new(key, name, Line(draft[name]), ProblemKinds.PartnerChangesField.With(name)));
        }
        foreach (var property in draftParameters.Properties())
        {
            if (originalParameters[property.Name] is not JObject before || property.Value is not JObject after) continue;
            foreach (var field in before.Properties().Select(p => p.Name).Union(after.Properties().Select(p => p.Name)).Where(f => f != "values"))
                if (!JToken.DeepEquals(before[field], after[field]))
                    problems.Add(new(key, $"parameters.{property.Name}.{field}", Line(after[field]),
                        ProblemKinds.PartnerChangesField.With(field)));
        }
        return problems;
    }

    private static ParameterText Describe(string name, JObject parameter)
    {
        var last = (parameter["values"] as JArray ?? []).OfType<JObject>().LastOrDefault();
        return new(name, parameter.Value<string>("description") ?? "", parameter.Value<string>("unit") ?? "",
            Bound(parameter, "min"), Bound(parameter, "max"), parameter["bounds"] is JObject, last?.Value<string>("from"), last?["value"]?.ToString(Formatting.None));
    }

    private static decimal? Bound(JObject parameter, string name) =>
        parameter["bounds"]?[name] is JValue { Type: JTokenType.Integer or JTokenType.Float } bound ? bound.Value<decimal>() : null;

    private static DateOnly? Day(JToken? token) =>
        DateOnly.TryParseExact(token?.Value<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

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

    private static int Line(JToken? token) => token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : 0;
}
