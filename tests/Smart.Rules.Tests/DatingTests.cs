using Smart.Rules.Evaluation;

namespace Smart.Rules.Tests;

public class DatingTests
{
    private const string RaisedRate = """
        [ { "from": "2014-01-01", "value": 0.21 },
          { "from": "2027-01-01", "value": 0.22, "unconfirmed": true, "note": "announced, not yet in the official journal" } ]
        """;

    private static InvoiceEvaluation EvaluateOn(TempRules rules, DateOnly date) =>
        new DocumentEvaluator(rules.Load()).EvaluateInvoice(Invoices.Belgian(date: date)).Value!;

    [Fact]
    public void Rate_changes_on_its_effective_day_not_the_day_before()
    {
        using var rules = new TempRules();
        rules.Write("vat.json", TempRules.MinimalVat(values: RaisedRate));
        Assert.Equal(0.21m, EvaluateOn(rules, new DateOnly(2026, 12, 31)).Lines[0].VatRate);
        Assert.Equal(0.22m, EvaluateOn(rules, new DateOnly(2027, 1, 1)).Lines[0].VatRate);
    }

    [Fact]
    public void Evaluation_that_used_an_unconfirmed_value_says_so()
    {
        using var rules = new TempRules();
        rules.Write("vat.json", TempRules.MinimalVat(values: RaisedRate));
        Assert.Empty(EvaluateOn(rules, new DateOnly(2026, 12, 31)).Unconfirmed);
        var unconfirmed = Assert.Single(EvaluateOn(rules, new DateOnly(2027, 1, 1)).Unconfirmed);
        Assert.Equal(("be/vat", "StandardRate", new DateOnly(2027, 1, 1)), (unconfirmed.Ruleset, unconfirmed.Parameter, unconfirmed.From));
        Assert.Contains("official journal", unconfirmed.Note);
    }

    [Fact]
    public void Rule_set_that_ended_is_replaced_by_the_next_period_file()
    {
        using var rules = new TempRules();
        rules.Write("vat.json", TempRules.MinimalVat(validity: "\"validFrom\": \"2014-01-01\", \"validTo\": \"2025-12-31\""));
        rules.Write("vat-2026.json", TempRules.MinimalVat(validity: "\"validFrom\": \"2026-01-01\"", output: "0.25m"));
        Assert.Equal(0.21m, EvaluateOn(rules, new DateOnly(2025, 12, 31)).Lines[0].VatRate);
        var after = EvaluateOn(rules, new DateOnly(2026, 1, 1));
        Assert.Equal(0.25m, after.Lines[0].VatRate);
        Assert.Equal(new DateOnly(2026, 1, 1), after.Rulesets.Single(r => r.Id == "be/vat").ValidFrom);
    }
}
