namespace Smart.Rules.Evaluation;

/// <summary>A rule threw or exceeded its budget on one document; the message names the rule set and the rule.</summary>
internal sealed class RuleFailedException(string ruleSet, string rule, Exception cause)
    : Exception($"rule '{rule}' of {ruleSet} failed on this document: {Reason(cause)}", cause)
{
    private static string Reason(Exception cause) => cause switch
    {
        RuleBudgetException budget => budget.Message,
        OverflowException => "an amount is beyond what can be computed",
        _ => cause.Message,
    };
}
