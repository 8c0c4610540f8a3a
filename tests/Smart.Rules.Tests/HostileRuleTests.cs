using System.Diagnostics;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>
/// Rule text written to crash or hold the process (issue 10, F1, F2, F4, F8): each is refused before it runs or fails one
/// document naming its rule, and the process goes on.
/// </summary>
public class HostileRuleTests
{
    private const string OneLineTest = """
        [ { "name": "one line", "input": { "country": "BE", "date": "2026-03-01", "client": { "kind": "business", "country": "BE" },
            "lines": [ { "description": "x", "category": "service", "quantity": 1, "unitPrice": 100 } ] },
            "expect": { "lines": [ { "vatRate": 0.21 } ] } } ]
        """;

    private static readonly string VatPath = Path.Combine(Repo.RulesDirectory, "be", "vat.json");

    /// <summary>The draft checked against the shipped book, on a thread pool thread with a deadline far above any honest check.</summary>
    private static DraftCheck Check(string expression, string tests = OneLineTest)
    {
        var draft = TempRules.MinimalVat(expression: expression, tests: tests);
        var check = Task.Run(() => Repo.Book.Value.Check(new RuleSource("BE", VatPath, draft)));
        Assert.True(check.Wait(TimeSpan.FromSeconds(60)), "the check did not end");
        return check.Result;
    }

    public static TheoryData<string, string> Oversized() => new()
    {
        // 10,000 additions: parsed into a tree 10,000 deep, which overflowed the compiler's stack.
        { string.Concat(Enumerable.Repeat("line.Net + 0m + ", 10_000)) + "0m > 0m", "characters, more than 2000" },
        // 40,000 nested brackets overflowed the parser's stack.
        { new string('(', 40_000) + "true" + new string(')', 40_000), "characters, more than 2000" },
        { new string('(', 500) + "true" + new string(')', 500), "brackets are nested 500 deep, more than 16" },
        // Short enough and flat in brackets, yet 300 levels deep once parsed.
        { string.Concat(Enumerable.Repeat("line.Net+", 200)) + "0m > 0m", "nested more than 100 levels deep" },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public void Expression_too_long_or_deep_is_a_problem_at_its_place_not_a_crash(string expression, string message)
    {
        var check = Check(expression);

        Assert.False(check.Passed);
        var problem = Assert.Single(check.Problems, p => p.Path == "workflow.Rules[0].Expression");
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 0);
    }

    public static TheoryData<string, string> Exhausting() => new()
    {
        // F2: runs until the process is killed without a budget.
        { "Enumerable.Range(0, int.MaxValue).Sum() != 1", "exceeded its budget" },
        { "Enumerable.Range(0, 10000).Select(i => Enumerable.Range(0, 10000).Count()).Count() != 1", "exceeded its budget" },
        // F4: gigabytes asked in one call.
        { "\\\"x\\\".PadLeft(500000000).Length > 0", "exceeded its budget" },
        { "Enumerable.Repeat(1m, 500000000).ToArray().Count() > 0", "exceeded its budget" },
        { "string('x', 500000000).Length > 0", "exceeded its budget" },
        { "\\\"xxxxxxxxxx\\\".PadLeft(9000).Replace(\\\" \\\", \\\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\\").Length > 0", "exceeded its budget" },
        { "Enumerable.Range(0, 10000).Select(i => \\\"x\\\".PadLeft(9000) + \\\"x\\\").ToArray().Count() > 0", "exceeded its budget" },
        // F8: run-time exceptions are a failed test naming the rule.
        { "1m / (line.Net - line.Net) > 0m", "divide by zero" },
        { "\\\"ab\\\".Substring(5) == \\\"\\\"", "startIndex" },
        { "int.Parse(\\\"x\\\") > 0", "not in a correct format" },
        { "line.Net * 1000000000000000m * 1000000000000000m > 0m", "beyond what can be computed" },
    };

    [Theory]
    [MemberData(nameof(Exhausting))]
    public void Rule_that_loops_grows_or_throws_fails_its_test_naming_the_rule(string expression, string reason)
    {
        var check = Check(expression);

        Assert.False(check.Passed);
        Assert.True(check.Tests.Any(t => !t.Passed), string.Join("\n", check.Problems));
        var failed = Assert.Single(check.Tests, t => !t.Passed);
        var problem = Assert.Single(failed.Differences);
        Assert.Equal("tests[0].input", problem.Path);
        Assert.Contains($"rule 'standard-rate' of {check.RuleSet!.Id} failed on this document", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_a_rule_past_its_budget_is_a_422_outcome_and_gives_its_memory_back()
    {
        var check = Check("\\\"x\\\".PadLeft(9000).Replace(\\\" \\\", \\\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\\").Length > 0", tests: "[]");
        Assert.True(check.Passed, string.Join("\n", check.Problems));
        var evaluator = new DocumentEvaluator(check.Book!);

        var started = Stopwatch.StartNew();
        var outcome = evaluator.EvaluateInvoice(Invoices.Belgian(new DateOnly(2026, 3, 1)));

        Assert.Null(outcome.Value);
        Assert.Contains("exceeded its budget", outcome.RuleFailure, StringComparison.Ordinal);
        Assert.Equal(outcome.RuleFailure, Assert.Single(outcome.NotCovered["rules"]));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"took {started.Elapsed}"); // ended, not hanging
        GC.Collect();
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) < 500L * 1024 * 1024);
    }

    [Theory]
    [InlineData("line.Net.ToString(\\\"F999999999\\\") != \\\"\\\"", "a width or precision above 99")]
    [InlineData("string.Format(\\\"{0,999999999}\\\", 1) != \\\"\\\"", "a width or precision above 99")]
    [InlineData("line.Net.ToString(client.Country) != \\\"\\\"", "a format that is not written out")]
    public void A_format_asking_for_a_huge_width_is_refused_when_loaded(string expression, string message)
    {
        var check = Check(expression);

        var problem = Assert.Single(check.Problems, p => p.Path == "workflow.Rules[0].Expression");
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loops_within_budget_still_compute()
    {
        var check = Check("Enumerable.Range(1, 100).Select(i => i * 2).Sum() == 10100 && \\\"ab\\\".PadLeft(4).Length == 4");
        Assert.True(check.Passed, string.Join("\n", check.Problems));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("790000000000000000000000000000")]
    public void A_parameter_value_beyond_decimal_is_a_problem_at_its_line(string value)
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(values: $$"""[ { "from": "2014-01-01", "value": {{value}} } ]"""));

        var book = rules.Load();

        var problem = Assert.Single(book.Problems, p => p.File == path);
        Assert.True(problem.Line > 0, problem.ToString());
        Assert.StartsWith("parameters.StandardRate.values[0]", problem.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_beyond_its_limit_is_refused_before_it_is_parsed()
    {
        var text = TempRules.MinimalVat(extraParameters: $$""", "Padding": { "description": "{{new string('x', RuleLimits.FileCharacters)}}", "unit": "text", "source": { "title": "t" }, "values": [] }""");
        var result = RuleSetLoader.Load(VatPath, text, []);

        Assert.Null(result.RuleSet);
        Assert.Contains($"more than {RuleLimits.FileCharacters}", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("quantity", "1e27", "unitPrice", "10", "lines[0].quantity")]
    [InlineData("quantity", "1", "unitPrice", "79000000000000000000000000000", "lines[0].unitPrice")]
    [InlineData("quantity", "900000", "unitPrice", "900000000", "lines[0].unitPrice")]
    public void Amounts_beyond_any_invoice_are_refused_naming_the_field(string q, string quantity, string p, string unitPrice, string field)
    {
        var invoice = Invoices.Belgian(new DateOnly(2026, 3, 1));
        invoice = invoice with
        {
            Lines = [invoice.Lines[0] with { Quantity = decimal.Parse(quantity, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
            UnitPrice = decimal.Parse(unitPrice, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture) }]
        };
        Assert.NotEqual(q, p);

        var outcome = new DocumentEvaluator(Repo.Book.Value).EvaluateInvoice(invoice);

        Assert.Contains(field, outcome.Errors.Keys);
    }

    [Fact]
    public void A_huge_author_rights_year_to_date_is_refused_naming_the_field()
    {
        var invoice = Invoices.Belgian(new DateOnly(2026, 3, 1)) with { Member = new MemberInfo { AuthorRightsYearToDate = 79_000_000_000_000_000_000_000_000_000m } };

        var outcome = new DocumentEvaluator(Repo.Book.Value).EvaluateInvoice(invoice);

        Assert.Contains("member.authorRightsYearToDate", outcome.Errors.Keys);
    }
}
