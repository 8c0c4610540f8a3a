namespace Smart.Rules.RuleSets;

/// <summary>
/// What a number of each parameter unit can be. Far wider than any figure in law (the shipped files hold rates up to 1.08,
/// amounts up to 73,070, days up to 45), so only a typo or a hostile value falls outside, before it reaches any evaluation.
/// </summary>
public static class ParameterUnits
{
    public static (decimal Min, decimal Max)? RangeOf(string unit) => unit switch
    {
        "rate" => (0m, 10m),
        "amount" => (0m, 1_000_000_000m),
        "days" => (0m, 3_660m),
        "count" => (0m, 1_000_000m),
        _ => null,
    };
}
