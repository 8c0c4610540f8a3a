using Smart.Rules.Evaluation;

namespace Smart.Rules.RuleSets;

/// <summary>
/// What each topic's rules must give the evaluator. The first rule whose expression holds "fires"; its
/// OnSuccess OutputExpression is its value, and its LocalParams (or the workflow's GlobalParams) are named results.
/// </summary>
public static class Topics
{
    public const string Vat = "vat", Contribution = "contribution", AuthorRights = "author-rights", LegalForms = "legal-forms",
        LatePayment = "late-payment", Employment = "employment", StampDuty = "stamp-duty";

    public static readonly IReadOnlyList<string> All = [Vat, Contribution, AuthorRights, LegalForms, LatePayment, Employment, StampDuty];

    public static readonly IReadOnlySet<string> VatTreatments = new HashSet<string> { "standard", "reduced", "exempt", "reverse-charge", "out-of-scope" };

    /// <summary>Named results a fired rule of the topic must define, beyond its value.</summary>
    private static readonly Dictionary<string, string[]> RequiredResults = new()
    {
        [AuthorRights] = ["withholdingRate"],
        [LatePayment] = ["flatCompensation"],
        [Employment] = ["mutualisedContribution", "employerContributions"],
    };

    private static readonly Dictionary<string, string> ValueMeaning = new()
    {
        [Vat] = "the VAT rate", [Contribution] = "the contribution rate", [AuthorRights] = "the amount withheld",
        [LatePayment] = "the statutory interest rate", [StampDuty] = "the duty's amount (0 when not due)",
    };

    internal static void CheckContract(RuleSetFile model, List<CompiledRule> rules, List<CompiledGlobal> globals, Action<string, string> problem)
    {
        if (model.Topic == LegalForms)
        {
            if (model.Entries.Count == 0) problem("entries", "a legal-forms rule set lists its legal forms in entries");
            foreach (var duplicate in model.Entries.GroupBy(e => e.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                problem("entries", $"legal form '{duplicate.Key}' is listed twice");
            return;
        }
        if (rules.Count == 0) { problem("workflow.Rules", $"a {model.Topic} rule set needs at least one rule"); return; }
        var globalNames = globals.Select(x => x.Name).ToHashSet();
        var ruleIndex = model.Workflow.Rules.Select((rule, i) => (rule.RuleName, i)).ToDictionary(x => x.RuleName, x => x.i);
        foreach (var rule in rules)
        {
            var at = $"workflow.Rules[{ruleIndex[rule.Name]}]";
            if (ValueMeaning.TryGetValue(model.Topic, out var meaning) && rule.Output is null)
                problem($"{at}.Actions", $"rule '{rule.Name}' needs an OnSuccess OutputExpression giving {meaning}");
            if (model.Topic == Vat && (rule.Event is null || !VatTreatments.Contains(rule.Event)))
                problem($"{at}.SuccessEvent", $"SuccessEvent must be the VAT treatment: {string.Join(" | ", VatTreatments)}");
            foreach (var name in RequiredResults.GetValueOrDefault(model.Topic, []))
                if (!globalNames.Contains(name) && rule.Locals.All(l => l.Name != name))
                    problem($"{at}.LocalParams", $"rule '{rule.Name}' must define '{name}' (a LocalParam or a GlobalParam)");
        }
    }
}
