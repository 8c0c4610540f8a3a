using RulesEngine.Models;

namespace Smart.Rules.Evaluation;

/// <summary>
/// The inputs a stock RulesEngine needs to run a rule set's workflow as it is: the facts and the parameters in force
/// on a date, as named RuleParameters. Used to prove the workflows stay stock, and as the naive baseline in benchmarks.
/// </summary>
public static class StockEngineInputs
{
    /// <summary>
    /// The RulesEngine settings rule sets are written for: names are case-sensitive, so a local param
    /// <c>ceiling</c> and a parameter <c>Ceiling</c> are two things, as they read.
    /// </summary>
    public static ReSettings Settings(IEnumerable<Type> helperTypes) =>
        new() { CustomTypes = [.. helperTypes], IsExpressionCaseSensitive = true };

    public static RuleParameter[] For(CompiledRuleSet set, DateOnly date, DocumentFacts? doc = null, LineFacts? line = null,
        ClientFacts? client = null, IssuerFacts? issuer = null, MemberFacts? member = null, ContractFacts? contract = null,
        ExpenseFacts? expense = null)
    {
        var period = set.PeriodOn(date);
        var inputs = new List<RuleParameter>
        {
            new("doc", doc ?? new DocumentFacts()), new("line", line ?? new LineFacts()), new("client", client ?? new ClientFacts()),
            new("issuer", issuer ?? new IssuerFacts()), new("member", member ?? new MemberFacts()), new("contract", contract ?? new ContractFacts()),
            new("expense", expense ?? new ExpenseFacts()),
        };
        for (var i = 0; i < set.ParameterNames.Length; i++) inputs.Add(new RuleParameter(set.ParameterNames[i], period.Values[i]!));
        return [.. inputs];
    }
}
