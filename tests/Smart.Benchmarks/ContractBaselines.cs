using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Benchmarks;

/// <summary>The Belgian employment split written by hand: 6.1 % mutualised, employer 25 % of gross (on 108 % for artists and manual workers).</summary>
public static class BelgianEmploymentByHand
{
    public static (decimal Mutualised, decimal Employer, decimal Gross) Evaluate(ContractDocument contract)
    {
        var mutualised = Math.Round(contract.Budget * 0.061m, 2, MidpointRounding.AwayFromZero);
        var factor = contract.JobCategory is "artist" or "manual-worker" ? 1.08m : 1m;
        var gross = Math.Round((contract.Budget - mutualised) / (1 + 0.25m * factor), 2, MidpointRounding.AwayFromZero);
        return (mutualised, contract.Budget - mutualised - gross, gross);
    }
}

/// <summary>The employment workflow through a new stock RulesEngine per contract.</summary>
public static class NaiveEmployment
{
    public static object? Evaluate(RuleBook book, ContractDocument contract)
    {
        var set = book.Find(contract.Country, Topics.Employment, contract.Date)!;
        var engine = new RulesEngine.RulesEngine([set.File.Workflow], StockEngineInputs.Settings([]));
        var facts = new ContractFacts { JobCategory = contract.JobCategory, Days = contract.Days, Hours = contract.Hours, Budget = contract.Budget };
        var results = engine.ExecuteAllRulesAsync(set.File.Workflow.WorkflowName, StockEngineInputs.For(set, contract.Date, contract: facts)).GetAwaiter().GetResult();
        return results.First(r => r.IsSuccess).ActionResult?.Output;
    }
}
