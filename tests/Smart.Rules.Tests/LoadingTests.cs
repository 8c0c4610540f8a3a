using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

public class LoadingTests
{
    private static IReadOnlyList<RuleSetProblem> ProblemsOf(RuleBook book, string path) => [.. book.Problems.Where(p => p.File == path)];

    [Fact]
    public void Bad_json_is_reported_with_its_line()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", "{\n  \"country\": \"BE\",\n  \"topic\": \"vat\"\n  \"version\": \"x\"\n}");
        var problem = Assert.Single(ProblemsOf(rules.Load(), path));
        Assert.Equal(4, problem.Line);
        Assert.Contains("not valid JSON", problem.Message);
    }

    [Fact]
    public void Every_schema_violation_is_reported_at_once_with_path_and_line()
    {
        using var rules = new TempRules();
        var json = TempRules.MinimalVat().Replace("\"unit\": \"rate\",", "\"unit\": \"percent\",").Replace("\"version\": \"test\",", "");
        var path = rules.Write("vat.json", json);
        var problems = ProblemsOf(rules.Load(), path);
        Assert.Contains(problems, p => p.Path == "version" && p.Message.Contains("required"));
        Assert.Contains(problems, p => p.Path == "parameters.StandardRate.unit" && p.Line == 10);
    }

    [Fact]
    public void Misspelt_parameter_is_named_with_the_rule_path_and_line()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(output: "StandardRat"));
        var problem = Assert.Single(ProblemsOf(rules.Load(), path));
        Assert.Equal("workflow.Rules[0].Actions.OnSuccess.Context.Expression", problem.Path);
        Assert.Equal(22, problem.Line);
        Assert.Contains("Unknown parameter or input 'StandardRat'", problem.Message);
    }

    [Fact]
    public void A_VAT_rule_without_its_category_is_a_problem_with_file_and_line()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat().Replace(" \"Properties\": { \"vatCategory\": \"S\" },", "", StringComparison.Ordinal));
        var problem = Assert.Single(ProblemsOf(rules.Load(), path));
        Assert.Equal("workflow.Rules[0].Properties", problem.Path);
        Assert.True(problem.Line > 0);
        Assert.Contains("vatCategory", problem.Message);
    }

    [Fact]
    public void A_VATEX_code_that_is_not_one_is_a_problem_at_its_line()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat().Replace("\"vatCategory\": \"S\"", "\"vatCategory\": \"E\", \"vatex\": \"EXEMPT\"", StringComparison.Ordinal));
        var problems = ProblemsOf(rules.Load(), path);
        // The schema's pattern names it first, at its line.
        Assert.Contains(problems, p => p.Path == "workflow.Rules[0].Properties.vatex" && p.Line > 0);
    }

    [Fact]
    public void Expression_that_does_not_compile_is_reported()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(expression: "line.Category == "));
        var problem = Assert.Single(ProblemsOf(rules.Load(), path));
        Assert.Equal("workflow.Rules[0].Expression", problem.Path);
        Assert.Contains("does not compile", problem.Message);
    }

    [Fact]
    public void Condition_that_is_not_true_or_false_is_reported()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(expression: "line.Net"));
        Assert.Contains(ProblemsOf(rules.Load(), path), p => p.Path == "workflow.Rules[0].Expression");
    }

    [Fact]
    public void Two_values_on_the_same_day_overlap()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(values: """[ { "from": "2014-01-01", "value": 0.21 }, { "from": "2014-01-01", "value": 0.22 } ]"""));
        var problem = Assert.Single(ProblemsOf(rules.Load(), path));
        Assert.Equal("parameters.StandardRate.values[1].from", problem.Path);
        Assert.Contains("overlap", problem.Message);
    }

    [Fact]
    public void Parameter_without_a_value_on_the_first_day_is_a_gap()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(values: """[ { "from": "2015-01-01", "value": 0.21 } ]"""));
        Assert.Contains(ProblemsOf(rules.Load(), path), p => p.Path == "parameters.StandardRate.values[0].from" && p.Message.Contains("gap"));
    }

    [Fact]
    public void Overlapping_and_gapped_rule_set_periods_are_reported()
    {
        using var rules = new TempRules();
        rules.Write("vat.json", TempRules.MinimalVat(validity: "\"validFrom\": \"2014-01-01\", \"validTo\": \"2019-12-31\""));
        var gapped = rules.Write("vat-2021.json", TempRules.MinimalVat(validity: "\"validFrom\": \"2021-01-01\", \"validTo\": \"2022-12-31\""));
        var overlapping = rules.Write("vat-2022.json", TempRules.MinimalVat(validity: "\"validFrom\": \"2022-06-01\""));
        var book = rules.Load();
        Assert.Contains(ProblemsOf(book, gapped), p => p.Message.Contains("gap"));
        Assert.Contains(ProblemsOf(book, overlapping), p => p.Message.Contains("overlaps"));
        Assert.DoesNotContain(book.RuleSets, s => s.Path == overlapping);
    }

    [Fact]
    public void Failing_test_expectation_is_reported_at_the_expected_field_and_the_file_does_not_load()
    {
        using var rules = new TempRules();
        const string tests = """
            [ { "name": "standard rate", "input": { "country": "BE", "date": "2026-03-15", "client": { "kind": "business", "country": "BE" },
                "lines": [ { "description": "x", "category": "service", "quantity": 1, "unitPrice": 100 } ] },
                "expect": { "lines": [ { "vatRate": 0.22 } ] } } ]
            """;
        var path = rules.Write("vat.json", TempRules.MinimalVat(tests: tests));
        var book = rules.Load();
        var problem = Assert.Single(ProblemsOf(book, path));
        Assert.Equal("tests[0].expect.lines[0].vatRate", problem.Path);
        Assert.Contains("is 0.21, expected 0.22", problem.Message);
        Assert.True(problem.Line > 20);
        Assert.DoesNotContain(book.RuleSets, s => s.Path == path);
    }

    [Fact]
    public void Broken_file_never_replaces_the_version_in_force()
    {
        using var rules = new TempRules();
        var inForce = rules.Load();
        Assert.Empty(inForce.Problems);

        var path = rules.Write("vat.json", TempRules.MinimalVat(output: "NoSuchRate"));
        var reloaded = rules.Load(inForce);

        Assert.Contains(ProblemsOf(reloaded, path), p => p.Message.Contains("stays"));
        var evaluation = new DocumentEvaluator(reloaded).EvaluateInvoice(Invoices.Belgian(date: new(2026, 3, 15)));
        Assert.Equal(0.21m, evaluation.Value!.Lines[0].VatRate);
        Assert.Same(inForce.RuleSets.Single(s => s.Topic == "vat"), reloaded.RuleSets.Single(s => s.Topic == "vat"));
    }

    [Fact]
    public async Task Stock_rules_engine_workflow_is_embedded_unchanged()
    {
        // The workflow section of a shipped file is a RulesEngine workflow: the stock engine runs it as it is.
        var vat = Repo.Book.Value.Find("BE", "vat", new DateOnly(2026, 3, 15))!;
        var engine = new RulesEngine.RulesEngine([vat.File.Workflow], StockEngineInputs.Settings([]));
        var inputs = StockEngineInputs.For(vat, new DateOnly(2026, 3, 15), line: new LineFacts { Category = "author-rights", Net = 100m }, client: new ClientFacts { Kind = "business", Country = "BE", Domestic = true });
        var results = await engine.ExecuteAllRulesAsync(vat.File.Workflow.WorkflowName, inputs);
        var fired = results.First(r => r.IsSuccess);
        Assert.Equal("author-rights-concession-reduced-rate", fired.Rule.RuleName);
        Assert.Equal(0.06m, fired.ActionResult.Output);
    }

    public static TheoryData<string> ShippedRuleSets() => [.. Repo.Book.Value.RuleSets.Where(s => s.File.Workflow.Rules.Any()).Select(s => s.Id + "@" + s.ValidFrom.ToString("yyyy-MM-dd"))];

    [Theory]
    [MemberData(nameof(ShippedRuleSets))]
    public async Task Every_shipped_workflow_compiles_and_runs_in_the_stock_rules_engine(string id)
    {
        var set = Repo.Book.Value.RuleSets.Single(s => s.Id + "@" + s.ValidFrom.ToString("yyyy-MM-dd") == id);
        var helpers = Repo.Plugins.Value.Find(set.File.Country)!.Plugin.ExpressionHelpers;
        var engine = new RulesEngine.RulesEngine([set.File.Workflow], StockEngineInputs.Settings(helpers));
        var results = await engine.ExecuteAllRulesAsync(set.File.Workflow.WorkflowName, StockEngineInputs.For(set, set.ValidFrom));
        Assert.All(results, r => Assert.DoesNotContain("Error while compiling", r.ExceptionMessage ?? ""));
    }
}
