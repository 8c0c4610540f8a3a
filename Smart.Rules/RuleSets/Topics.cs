using Smart.Rules.Evaluation;

namespace Smart.Rules.RuleSets;

/// <summary>
/// What each topic's rules must give the evaluator. The first rule whose expression holds "fires"; its
/// OnSuccess OutputExpression is its value, and its LocalParams (or the workflow's GlobalParams) are named results.
/// </summary>
public static class Topics
{
    public const string Vat = "vat", Contribution = "contribution", AuthorRights = "author-rights", LegalForms = "legal-forms",
        LatePayment = "late-payment", Employment = "employment", StampDuty = "stamp-duty", Expenses = "expenses";

    public static readonly IReadOnlyList<string> All = [Vat, Contribution, AuthorRights, LegalForms, LatePayment, Employment, StampDuty, Expenses];

    public static readonly IReadOnlySet<string> VatTreatments = new HashSet<string> { "standard", "reduced", "exempt", "reverse-charge", "out-of-scope" };

    /// <summary>Named results a fired rule of the topic must define, beyond its value.</summary>
    private static readonly Dictionary<string, NamedResult[]> RequiredResults = new()
    {
        [AuthorRights] = [NamedResult.WithholdingRate],
        [LatePayment] = [NamedResult.FlatCompensation],
        [Employment] = [NamedResult.MutualisedContribution, NamedResult.EmployerContributions],
        [Expenses] = [NamedResult.Reimbursed],
    };

    private static readonly Dictionary<string, ProblemKind> ValueMeaning = new()
    {
        [Vat] = ProblemKinds.MeaningVatRate, [Contribution] = ProblemKinds.MeaningContributionRate, [AuthorRights] = ProblemKinds.MeaningAmountWithheld,
        [LatePayment] = ProblemKinds.MeaningInterestRate, [StampDuty] = ProblemKinds.MeaningDutyAmount,
        [Expenses] = ProblemKinds.MeaningDeductibleShare,
    };

    internal static void CheckContract(RuleSetFile model, List<CompiledRule> rules, Action<string, ProblemText> problem)
    {
        if (model.Topic == LegalForms)
        {
            if (model.Entries.Count == 0) problem("entries", ProblemKinds.LegalFormsEmpty.With());
            foreach (var duplicate in model.Entries.GroupBy(e => e.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                problem("entries", ProblemKinds.LegalFormTwice.With(duplicate.Key));
            return;
        }
        if (model.Topic == Expenses) CheckCategories(model, problem);
        else if (model.Categories.Count > 0) problem("categories", ProblemKinds.CategoriesOutsideExpenses.With());
        if (rules.Count == 0) { problem("workflow.Rules", ProblemKinds.NoRule.With(model.Topic)); return; }
        var ruleIndex = model.Workflow.Rules.Select((rule, i) => (rule.RuleName, i)).ToDictionary(x => x.RuleName, x => x.i);
        foreach (var rule in rules)
        {
            var at = $"workflow.Rules[{ruleIndex[rule.Name]}]";
            if (ValueMeaning.TryGetValue(model.Topic, out var meaning) && rule.Output is null)
                problem($"{at}.Actions", ProblemKinds.OutputMissing.With(rule.Name, meaning.With()));
            if (model.Topic == Vat && (rule.Event is null || !VatTreatments.Contains(rule.Event)))
                problem($"{at}.SuccessEvent", ProblemKinds.SuccessEventNotTreatment.With(string.Join(" | ", VatTreatments)));
            foreach (var result in RequiredResults.GetValueOrDefault(model.Topic, []))
                if (rule.SlotOf(result) < 0)
                    problem($"{at}.LocalParams", ProblemKinds.ResultMissing.With(rule.Name, result.Name()));
        }
    }

    /// <summary>An expenses rule set names the categories a claim may take, each once, each with an English name.</summary>
    private static void CheckCategories(RuleSetFile model, Action<string, ProblemText> problem)
    {
        if (model.Categories.Count == 0) problem("categories", ProblemKinds.CategoriesEmpty.With());
        for (var i = 0; i < model.Categories.Count; i++)
        {
            var category = model.Categories[i];
            if (!ExpenseKinds.All.Contains(category.Kind))
                problem($"categories[{i}].kind", ProblemKinds.ExpenseKindUnknown.With(category.Kind, string.Join(" | ", ExpenseKinds.All)));
            if (!category.Names.ContainsKey("en")) problem($"categories[{i}].names", ProblemKinds.CategoryWithoutEnglish.With(category.Code));
        }
        foreach (var duplicate in model.Categories.GroupBy(c => c.Code, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problem("categories", ProblemKinds.CategoryTwice.With(duplicate.Key));
    }
}
