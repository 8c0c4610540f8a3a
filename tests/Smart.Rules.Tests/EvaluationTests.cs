using Smart.Rules.Evaluation;

namespace Smart.Rules.Tests;

public class EvaluationTests
{
    private static InvoiceEvaluation Evaluate(InvoiceDocument invoice)
    {
        var outcome = Repo.Evaluator.EvaluateInvoice(invoice);
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return outcome.Value!;
    }

    [Fact]
    public void Design_example_training_from_recognised_body_is_exempt_in_Belgium()
    {
        var result = Evaluate(Invoices.DesignExample);
        var line = Assert.Single(result.Lines);
        Assert.Equal((900.00m, 0m, 0.00m, "exempt"), (line.Net, line.VatRate, line.Vat, line.VatTreatment));
        Assert.Equal(new Totals(900.00m, 0.00m, 900.00m), result.Totals);
        Assert.Equal(new ContributionResult(0.065m, 900.00m, 58.50m), result.Contribution);
        Assert.Equal("EUR", result.Currency);
        Assert.Null(result.AuthorRights);
        Assert.Contains(result.Mentions, m => m.Contains("44, § 2, 4°"));
        Assert.Contains(result.Rulesets, r => r.Id == "be/vat");
        var trace = Assert.Single(result.Trace, t => t.Ruleset == "be/vat");
        Assert.Equal(("training-by-recognised-body-is-exempt", 0), (trace.Rule, trace.Line!.Value));
        Assert.Contains("art. 44", trace.Source);
    }

    [Fact]
    public void Trace_names_the_parameter_values_a_rule_used()
    {
        var result = Evaluate(Invoices.Belgian(category: "author-rights"));
        var trace = Assert.Single(result.Trace, t => t.Ruleset == "be/vat");
        Assert.Equal("author-rights-concession-reduced-rate", trace.Rule);
        Assert.Equal(0.06m, trace.Values["CopyrightAndPerformanceRate"]);
    }

    [Fact]
    public void Unknown_country_is_not_covered()
    {
        var outcome = Repo.Evaluator.EvaluateInvoice(Invoices.Belgian() with { Country = "XX" });
        Assert.Contains("country", outcome.NotCovered.Keys);
    }

    [Fact]
    public void Date_before_any_rule_is_not_covered()
    {
        var outcome = Repo.Evaluator.EvaluateInvoice(Invoices.Belgian(date: new DateOnly(1900, 1, 1)));
        Assert.Contains("date", outcome.NotCovered.Keys);
    }

    [Fact]
    public void Every_bad_field_is_named()
    {
        var invoice = Invoices.Belgian() with
        {
            Client = new ClientInfo { Kind = "alien", Country = "BE" },
            Lines = [new InvoiceLine { Category = "magic", Quantity = -1, UnitPrice = 10 }],
        };
        var errors = Repo.Evaluator.EvaluateInvoice(invoice).Errors;
        Assert.Equal(["client.kind", "lines[0].category", "lines[0].quantity"], errors.Keys.Order());
    }

    [Fact]
    public void Vat_number_with_wrong_check_digits_is_refused_by_the_clients_country_plugin()
    {
        var errors = Repo.Evaluator.EvaluateInvoice(Invoices.Belgian(vatNumber: "BE0431150351")).Errors;
        Assert.Contains("client.vatNumber", errors.Keys);
    }

    [Fact]
    public void Unknown_issuer_is_refused()
    {
        var errors = Repo.Evaluator.EvaluateInvoice(Invoices.Belgian(issuer: "nobody")).Errors;
        Assert.Contains("issuer", errors.Keys);
    }

    [Fact]
    public void Concurrent_evaluations_give_the_same_results_as_sequential_ones()
    {
        var categories = new[] { "service", "training", "author-rights", "artistic-performance", "disbursement", "goods" };
        var invoices = Enumerable.Range(0, 600).Select(i => Invoices.Belgian(
            category: categories[i % categories.Length], unitPrice: 10m + i * 1.37m, issuer: i % 4 == 0 ? "formateurs-associes" : null,
            clientCountry: i % 5 == 0 ? "FR" : "BE", vatNumber: i % 5 == 0 ? "FR44732829320" : null)).ToArray();
        var evaluator = Repo.Evaluator;
        var sequential = invoices.Select(i => Summary(evaluator.EvaluateInvoice(i).Value!)).ToArray();
        var parallel = new string[invoices.Length];
        Parallel.For(0, invoices.Length * 10, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            n => parallel[n % invoices.Length] = Summary(evaluator.EvaluateInvoice(invoices[n % invoices.Length]).Value!));
        Assert.Equal(sequential, parallel);
        Assert.True(sequential.Distinct().Count() > 100);
    }

    private static string Summary(InvoiceEvaluation e) =>
        $"{e.Totals} {e.Contribution} {string.Join("|", e.Lines.Select(l => $"{l.VatTreatment}:{l.VatRate}:{l.Vat}"))} {e.Trace.Count}";
}

public class AuthorRightsCeilingTests
{
    [Fact]
    public void Ceiling_is_the_one_the_rule_set_computes_on_the_date()
    {
        var belgium = Repo.Book.Value.Find("BE", "author-rights", new DateOnly(2024, 6, 1))!;
        Assert.Equal(belgium.ValueOn("Ceiling", new DateOnly(2024, 6, 1)), Repo.Evaluator.AuthorRightsCeiling("BE", new DateOnly(2024, 6, 1)));
        Assert.NotEqual(Repo.Evaluator.AuthorRightsCeiling("BE", new DateOnly(2022, 6, 1)), Repo.Evaluator.AuthorRightsCeiling("BE", new DateOnly(2024, 6, 1)));
        // France's ceiling is the social-security ceiling (PASS), under its own parameter name.
        var france = Repo.Book.Value.Find("FR", "author-rights", new DateOnly(2026, 3, 1))!;
        Assert.Equal(france.ValueOn("Pass", new DateOnly(2026, 3, 1)), Repo.Evaluator.AuthorRightsCeiling("FR", new DateOnly(2026, 3, 1)));
    }

    [Fact]
    public void Regime_without_a_ceiling_or_country_without_author_rights_rules_has_none()
    {
        Assert.Null(Repo.Evaluator.AuthorRightsCeiling("IT", new DateOnly(2026, 3, 1)));
        Assert.Null(Repo.Evaluator.AuthorRightsCeiling("DE", new DateOnly(2026, 3, 1)));
        Assert.Null(Repo.Evaluator.AuthorRightsCeiling("BE", new DateOnly(1990, 1, 1)));
    }
}
