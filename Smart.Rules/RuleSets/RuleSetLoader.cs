using System.Runtime.ExceptionServices;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using RulesEngine.Models;
using Smart.Rules.Evaluation;

namespace Smart.Rules.RuleSets;

/// <summary>
/// Reads one rule file and reports every problem at once, each with file, JSON path and line: bad JSON, schema
/// violations, undated or overlapping values, expressions that do not compile or reach outside the allow-list,
/// unknown parameter names, missing legal sources, and outputs its topic needs. Tests run later, in <see cref="RuleBook"/>,
/// because they evaluate whole documents against the country's other rule sets.
/// </summary>
public static class RuleSetLoader
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(RuleSetLoader).Assembly.GetManifestResourceStream("ruleset.schema.json")
            ?? throw new InvalidOperationException("ruleset.schema.json is not embedded");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    });

    public static string SchemaText
    {
        get
        {
            using var stream = typeof(RuleSetLoader).Assembly.GetManifestResourceStream("ruleset.schema.json")!;
            return new StreamReader(stream).ReadToEnd();
        }
    }

    public sealed record Result(CompiledRuleSet? RuleSet, IReadOnlyList<RuleSetProblem> Problems, JObject? Json);

    /// <summary>Stack for parsing and compiling one file: what the limits allow needs far less, whatever thread asks.</summary>
    private const int LoaderStack = 16 * 1024 * 1024;

    public static Result Load(string path, string text, IReadOnlyList<Type> helperTypes)
    {
        // The parser and compiler recurse with an expression's nesting. The limits keep that shallow; running on a thread
        // whose stack is known (not whichever pool thread asked) keeps a limit's margin the same everywhere.
        Result? result = null;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { result = LoadOnThisThread(path, text, helperTypes); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, LoaderStack)
        { Name = "rule-set loader" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }

    private static Result LoadOnThisThread(string path, string text, IReadOnlyList<Type> helperTypes)
    {
        var file = System.IO.Path.GetFileName(path);
        if (text.Length > RuleLimits.FileCharacters)
            return new(null, [new(path, "", 0, ProblemKinds.FileTooLong.With(text.Length, RuleLimits.FileCharacters))], null);
        var problems = new List<RuleSetProblem>();
        JObject root;
        try
        {
            // Numbers are read as decimals, as the rules compute: 1e400 is a problem with its line, not an infinity.
            using var reader = new JsonTextReader(new StringReader(text)) { FloatParseHandling = FloatParseHandling.Decimal };
            root = JObject.Load(reader, RuleSetJson.LoadSettings);
            if (reader.Read() && reader.TokenType != JsonToken.Comment) throw JsonReaderExceptionAt(reader, "additional text after the rule set's closing brace");
        }
        catch (JsonReaderException e)
        {
            return new(null, [new(path, e.Path ?? "", e.LineNumber, ProblemKinds.NotJson.With(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, FirstSentence(e.Message)))], null);
        }

        // An integer beyond 64 bits is read as a BigInteger, which the schema validator cannot take (it throws) and no figure needs.
        foreach (var huge in root.Descendants().OfType<JValue>().Where(v => v.Value is System.Numerics.BigInteger))
            problems.Add(new(path, huge.Path, ((IJsonLineInfo)huge).LineNumber, ProblemKinds.NumberTooLarge.With(huge.ToString())));
        if (problems.Count > 0) return new(null, problems, root);

        foreach (var error in Flatten(Schema.Value.Validate(root)))
            problems.Add(new(path, SchemaPath(error), error.HasLineInfo ? error.LineNumber : LineOf(root, SchemaPath(error)), Describe(error, SchemaPath(error))));
        if (problems.Count > 0) return new(null, problems, root);

        RuleSetFile model;
        try
        {
            model = root.ToObject<RuleSetFile>(RuleSetJson.Serializer)!;
        }
        catch (JsonException e)
        {
            return new(null, [new(path, "", 0, ProblemKinds.FileUnreadable.With(FirstSentence(e.Message)))], root);
        }

        var expectedName = $"{model.Topic}";
        if (!file.StartsWith(expectedName, StringComparison.Ordinal))
            problems.Add(new(path, "topic", LineOf(root, "topic"), ProblemKinds.TopicNotFileName.With(model.Topic, file)));

        var compiled = Compile(path, root, model, helperTypes, problems);
        return new(problems.Count == 0 ? compiled : null, problems, root);
    }

    private static CompiledRuleSet? Compile(string path, JObject root, RuleSetFile model, IReadOnlyList<Type> helperTypes, List<RuleSetProblem> problems)
    {
        void Problem(string jsonPath, ProblemText message) => problems.Add(new(path, jsonPath, LineOf(root, jsonPath), message));

        if (model.ValidTo is { } to && to < model.ValidFrom) Problem("validTo", ProblemKinds.ValidToBeforeValidFrom.With());

        // Parameters: dated values strictly ascending, one type per parameter, a value on the file's first day.
        var compiler = new RuleCompiler(helperTypes);
        var names = model.Parameters.Keys.ToArray();
        var types = new Type[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var parameter = model.Parameters[name];
            var at = $"parameters.{name}";
            Type? type = null;
            for (var v = 0; v < parameter.Values.Count; v++)
            {
                var value = parameter.Values[v];
                var valueType = ValueType(value.Value);
                if (valueType is null) Problem($"{at}.values[{v}].value", ProblemKinds.ValueOfNoType.With());
                else if (type is null) type = valueType;
                else if (type != valueType) Problem($"{at}.values[{v}].value", ProblemKinds.ValueTypeChanges.With(Describe(valueType), Describe(type)));
                if (v > 0 && value.From <= parameter.Values[v - 1].From)
                    Problem($"{at}.values[{v}].from", value.From == parameter.Values[v - 1].From
                        ? ProblemKinds.ValuesSameDay.With(value.From)
                        : ProblemKinds.ValuesNotInOrder.With(value.From, parameter.Values[v - 1].From));
                foreach (var number in Numbers(value.Value))
                    if (ParameterUnits.RangeOf(parameter.Unit) is { } range && (number < range.Min || number > range.Max))
                        Problem($"{at}.values[{v}].value", ProblemKinds.OutsideUnit.With(number, parameter.Unit, range.Min, range.Max));
                if (parameter.Bounds is { } b && valueType == typeof(decimal))
                {
                    var number = value.Value!.Value<decimal>();
                    if (number < b.Min || number > b.Max) Problem($"{at}.values[{v}].value", ProblemKinds.OutsideBounds.With(number, b.Min, b.Max));
                }
            }
            if (parameter.Values.Count > 0 && parameter.Values[0].From > model.ValidFrom)
                Problem($"{at}.values[0].from", ProblemKinds.NoValueOnFirstDay.With(model.ValidFrom));
            types[i] = type ?? typeof(decimal);
            compiler.Declare(name, types[i]);
        }

        var workflow = model.Workflow;
        var globals = new List<CompiledGlobal>();
        var g = 0;
        foreach (var global in workflow.GlobalParams ?? [])
        {
            var at = $"workflow.GlobalParams[{g++}].Expression";
            var compiledGlobal = TryCompile(compiler, global.Expression, null, at, Problem);
            if (compiledGlobal is null) { compiler.Declare(global.Name, typeof(object)); continue; }
            globals.Add(new(global.Name, compiler.Declare(global.Name, compiledGlobal.ResultType), compiledGlobal));
        }

        var scopeBeforeRules = compiler.ScopeSize;
        var maxScope = scopeBeforeRules;
        var rules = new List<CompiledRule>();
        var seen = new HashSet<string>();
        var r = 0;
        foreach (var rule in workflow.Rules ?? [])
        {
            var at = $"workflow.Rules[{r++}]";
            if (!seen.Add(rule.RuleName)) Problem($"{at}.RuleName", ProblemKinds.RuleNamedTwice.With(rule.RuleName));
            model.RuleSources.TryGetValue(rule.RuleName, out var source);
            if (source is null) Problem($"{at}.RuleName", ProblemKinds.RuleWithoutSource.With(rule.RuleName));
            if (rule.Rules?.Any() == true || rule.WorkflowsToInject?.Any() == true)
                Problem($"{at}", ProblemKinds.NestedRules.With());
            if (!rule.Enabled) continue;

            var locals = new List<CompiledLocal>();
            var l = 0;
            foreach (var local in rule.LocalParams ?? [])
            {
                var compiledLocal = TryCompile(compiler, local.Expression, null, $"{at}.LocalParams[{l++}].Expression", Problem);
                locals.Add(new(local.Name, compiler.Declare(local.Name, compiledLocal?.ResultType ?? typeof(object)), compiledLocal!));
            }
            var condition = TryCompile(compiler, rule.Expression, typeof(bool), $"{at}.Expression", Problem);
            CompiledExpression? output = null;
            if (rule.Actions?.OnSuccess is { } action)
            {
                if (action.Name != "OutputExpression")
                    Problem($"{at}.Actions.OnSuccess.Name", ProblemKinds.ActionNotSupported.With(action.Name));
                else if (action.Context?.TryGetValue("Expression", out var text) == true)
                    output = TryCompile(compiler, text?.ToString(), null, $"{at}.Actions.OnSuccess.Context.Expression", Problem);
            }

            string? mention = null;
            if (rule.Properties?.TryGetValue("mention", out var m) == true)
            {
                mention = m?.ToString();
                var index = mention is null ? -1 : Array.IndexOf(names, mention);
                if (index < 0) Problem($"{at}.Properties.mention", ProblemKinds.MentionNotParameter.With(mention));
                else if (types[index] != typeof(string)) Problem($"{at}.Properties.mention", ProblemKinds.MentionNotText.With(mention));
            }

            var vat = VatCodes(rule, at, names, types, mention, model.Topic == Topics.Vat, Problem);

            maxScope = Math.Max(maxScope, compiler.ScopeSize);
            if (condition is not null && locals.All(x => x.Expression is not null))
            {
                var parameterSlots = locals.SelectMany(x => x.Expression.Slots).Concat(condition.Slots).Concat(output?.Slots ?? [])
                    .Concat(globals.SelectMany(x => x.Expression.Slots))
                    .Where(s => s >= FactSlots.Count && s < FactSlots.Count + names.Length).Distinct().Order().ToArray();
                var resultSlots = NamedResults.Slots(locals, globals);
                // Locals and output as one delegate, for a rule whose condition runs first (it reads no local).
                var whole = locals.Count > 0 && !locals.Any(local => condition.Slots.Contains(local.Slot));
                rules.Add(new(rule.RuleName, rule.SuccessEvent, DateProperty(rule, "validFrom", at, Problem), DateProperty(rule, "validTo", at, Problem),
                    [.. locals], condition, output, mention, source, parameterSlots)
                {
                    Body = whole ? compiler.CompileRule(locals, output, slot => resultSlots.Contains(slot)) : null,
                    TracedBody = whole ? compiler.CompileRule(locals, output, _ => true) : null,
                    VatCategory = vat.Category, VatExemptionCode = vat.Exemption, Natura = vat.Natura, ExemptionReasonParameter = vat.ReasonParameter,
                    ResultSlots = resultSlots,
                    MentionIndex = mention is null ? -1 : Array.IndexOf(names, mention),
                    ExemptionReasonIndex = vat.ReasonParameter is null ? -1 : Array.IndexOf(names, vat.ReasonParameter),
                    TraceNames = [.. parameterSlots.Select(slot => names[slot - FactSlots.Count]), .. globals.Select(x => x.Name), .. locals.Select(x => x.Name),
                        .. output is null ? Array.Empty<string>() : ["value"]],
                });
            }
            compiler.Truncate(scopeBeforeRules);
        }
        foreach (var orphan in model.RuleSources.Keys.Where(k => !seen.Contains(k)))
            Problem($"ruleSources.{orphan}", ProblemKinds.SourceWithoutRule.With(orphan));

        // A rule that did not compile already has its problem; the topic's contract is checked on a clean file only.
        if (problems.Count == 0) Topics.CheckContract(model, rules, Problem);
        return problems.Count > 0 ? null
            : new CompiledRuleSet(model, path, names, BuildPeriods(model, names, types), [.. globals], [.. rules], maxScope, FactSlots.Count);
    }

    private static CompiledExpression? TryCompile(RuleCompiler compiler, string? text, Type? type, string at, Action<string, ProblemText> problem)
    {
        if (string.IsNullOrWhiteSpace(text)) { problem(at, ProblemKinds.ExpressionEmpty.With()); return null; }
        try
        {
            return compiler.Compile(text, type);
        }
        catch (RuleCompileException e)
        {
            problem(at, ProblemKinds.ExpressionDoesNotCompile.With(at, e.Message));
            return null;
        }
    }

    /// <summary>UNCL 5305 categories EN 16931 uses; those after S and Z say why no VAT is charged, so they need a VATEX code or a reason.</summary>
    private static readonly HashSet<string> VatCategories = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"];

    private readonly record struct RuleVatCodes(string? Category, string? Exemption, string? Natura, string? ReasonParameter);

    /// <summary>
    /// A VAT rule's e-invoice data from its Properties: vatCategory (UNCL 5305), vatex (CEF VATEX code), natura (FatturaPA) and
    /// exemptionReason (a text parameter; the mention by default). Checked here so that a file that loads writes valid documents.
    /// </summary>
    private static RuleVatCodes VatCodes(Rule rule, string at, string[] names, Type[] types, string? mention, bool vatTopic, Action<string, ProblemText> problem)
    {
        string? Text(string key) => rule.Properties?.TryGetValue(key, out var value) == true ? value?.ToString() : null;
        var category = Text("vatCategory");
        var vatex = Text("vatex");
        var natura = Text("natura");
        var reason = Text("exemptionReason");
        if (!vatTopic)
        {
            if ((category ?? vatex ?? natura ?? reason) is not null) problem($"{at}.Properties", ProblemKinds.VatCodesOutsideVat.With());
            return default;
        }
        if (category is null)
            problem($"{at}.Properties", ProblemKinds.VatCategoryMissing.With(rule.RuleName));
        else if (!VatCategories.Contains(category))
            problem($"{at}.Properties.vatCategory", ProblemKinds.VatCategoryUnknown.With(category, string.Join(", ", VatCategories)));
        if (vatex is not null && !System.Text.RegularExpressions.Regex.IsMatch(vatex, "^VATEX-[A-Z]{2}-[A-Z0-9-]+$"))
            problem($"{at}.Properties.vatex", ProblemKinds.VatexUnknown.With(vatex));
        if (natura is not null && !System.Text.RegularExpressions.Regex.IsMatch(natura, @"^N[1-7](\.[1-9])?$"))
            problem($"{at}.Properties.natura", ProblemKinds.NaturaUnknown.With(natura));
        if (reason is not null)
        {
            var index = Array.IndexOf(names, reason);
            if (index < 0) problem($"{at}.Properties.exemptionReason", ProblemKinds.ExemptionReasonNotParameter.With(reason));
            else if (types[index] != typeof(string)) problem($"{at}.Properties.exemptionReason", ProblemKinds.ExemptionReasonNotText.With(reason));
        }
        var reasonParameter = reason ?? (category is null or "S" or "Z" ? null : mention);
        if (category is "S" or "Z" && (vatex ?? reason) is not null)
            problem($"{at}.Properties", ProblemKinds.ChargedWithExemption.With(category));
        else if (category is not null and not ("S" or "Z" or "L" or "M") && vatex is null && reasonParameter is null)
            problem($"{at}.Properties", ProblemKinds.ExemptionWithoutReason.With(category));
        return new RuleVatCodes(category, vatex, natura, reasonParameter);
    }

    private static DateOnly? DateProperty(Rule rule, string key, string at, Action<string, ProblemText> problem)
    {
        if (rule.Properties?.TryGetValue(key, out var value) != true || value is null) return null;
        if (DateOnly.TryParseExact(value.ToString(), "yyyy-MM-dd", out var date)) return date;
        problem($"{at}.Properties.{key}", ProblemKinds.NotADate.With(value));
        return null;
    }

    private static ParameterPeriod[] BuildPeriods(RuleSetFile model, string[] names, Type[] types)
    {
        var starts = model.Parameters.Values.SelectMany(p => p.Values).Select(v => v.From).Where(d => d > model.ValidFrom)
            .Append(model.ValidFrom).Distinct().Order().ToArray();
        return starts.Select(start =>
        {
            var values = new object?[names.Length];
            var sources = new DatedValue[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                var dated = model.Parameters[names[i]].Values.LastOrDefault(v => v.From <= start);
                if (dated is null) continue;
                sources[i] = dated;
                values[i] = ToClr(dated.Value, types[i]);
            }
            return new ParameterPeriod(start, values, sources);
        }).ToArray();
    }

    private static Type? ValueType(JToken? token) => token?.Type switch
    {
        JTokenType.Integer or JTokenType.Float when IsDecimal(token) => typeof(decimal),
        JTokenType.String => typeof(string),
        JTokenType.Boolean => typeof(bool),
        JTokenType.Array when token.Children().All(IsDecimal) => typeof(decimal[]),
        _ => null,
    };

    private static IEnumerable<decimal> Numbers(JToken? token) => token switch
    {
        JValue number when IsDecimal(number) => [number.Value<decimal>()],
        JArray list => list.Where(IsDecimal).Select(n => n.Value<decimal>()),
        _ => [],
    };

    private static bool IsDecimal(JToken token) => token is JValue { Value: decimal or long or int };

    private static object? ToClr(JToken? token, Type type) => token is null ? null
        : type == typeof(decimal[]) ? token.Values<decimal>().ToArray()
        : token.ToObject(type);

    private static ProblemText Describe(Type type) =>
        (type == typeof(decimal) ? ProblemKinds.TypeNumber : type == typeof(string) ? ProblemKinds.TypeText
            : type == typeof(bool) ? ProblemKinds.TypeTrueFalse : ProblemKinds.TypeNumbers).With();

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child && child.Errors.Count > 0
            ? Flatten(child.Errors.SelectMany(x => x.Value)).DefaultIfEmpty(e)
            : [e]);

    private static string SchemaPath(ValidationError error)
    {
        var path = error.Path?.TrimStart('#', '/') ?? "";
        return error.Kind is ValidationErrorKind.PropertyRequired or ValidationErrorKind.NoAdditionalPropertiesAllowed && error.Property is { } p
            && !path.EndsWith(p, StringComparison.Ordinal)
            ? (path.Length == 0 ? p : $"{path}.{p}") : path;
    }

    /// <summary>A schema violation in a sentence that names the place; the validator's own word for the rest (DateExpected…) is its detail.</summary>
    private static ProblemText Describe(ValidationError error, string path) => error.Kind switch
    {
        ValidationErrorKind.PropertyRequired => ProblemKinds.FieldRequired.With(error.Property),
        ValidationErrorKind.NoAdditionalPropertiesAllowed => ProblemKinds.FieldUnknown.With(error.Property),
        _ => ProblemKinds.SchemaRefused.With(path.Length == 0 ? "$" : path, error.Kind.ToString()),
    };

    /// <summary>The line of the token at a JSON path, or of its nearest existing parent.</summary>
    internal static int LineOf(JToken root, string path)
    {
        while (true)
        {
            JToken? token = null;
            try { token = path.Length == 0 ? root : root.SelectToken(path); } catch (JsonException) { }
            if (token is IJsonLineInfo info && info.HasLineInfo()) return info.LineNumber;
            if (path.Length == 0) return 0;
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut < 0 ? "" : path[..cut];
        }
    }

    private static JsonReaderException JsonReaderExceptionAt(JsonTextReader reader, string message) =>
        new(message, reader.Path, reader.LineNumber, reader.LinePosition, null);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
