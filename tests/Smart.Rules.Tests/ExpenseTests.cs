using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>The expenses topic: what a claim costs its production unit, from the real Belgian rule file.</summary>
public class ExpenseTests
{
    private static ExpenseEvaluation Evaluate(ExpenseDocument claim)
    {
        var outcome = Repo.Evaluator.EvaluateExpense(claim);
        Assert.True(outcome.IsSuccess, string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        return outcome.Value!;
    }

    [Fact]
    public void Car_costs_in_Belgium_recover_at_most_half_of_their_VAT()
    {
        var result = Evaluate(new() { Country = "BE", Date = new(2026, 5, 4), Category = "car-costs", Amount = 121.00m, Vat = 21.00m });
        Assert.Equal(0.5m, result.DeductibleShare);
        Assert.Equal(10.50m, result.RecoverableVat);
        Assert.Equal(121.00m, result.Reimbursed);
        Assert.Equal(110.50m, result.Charged);
        Assert.Contains(result.Trace, t => t.Rule == "car-costs-half-deductible" && t.Source!.Contains("art. 45, §2", StringComparison.Ordinal));
    }

    [Fact]
    public void Meals_in_Belgium_recover_no_VAT_unless_the_member_works_for_a_client_away()
    {
        var meal = Evaluate(new() { Country = "BE", Date = new(2026, 5, 4), Category = "meals-lodging", Amount = 56.00m, Vat = 6.00m });
        var onAssignment = Evaluate(new() { Country = "BE", Date = new(2026, 5, 4), Category = "meals-lodging-on-assignment", Amount = 56.00m, Vat = 6.00m });
        Assert.Equal((0m, 56.00m), (meal.RecoverableVat, meal.Charged));
        Assert.Equal((6.00m, 50.00m), (onAssignment.RecoverableVat, onAssignment.Charged));
    }

    [Fact]
    public void Mileage_in_Belgium_is_paid_at_the_federal_rate_of_the_quarter()
    {
        var q1 = Evaluate(new() { Country = "BE", Date = new(2026, 3, 31), Category = "mileage", Kilometres = 100m });
        var q3Of2025 = Evaluate(new() { Country = "BE", Date = new(2025, 7, 1), Category = "mileage", Kilometres = 100m });
        Assert.Equal(43.26m, q1.Reimbursed);
        Assert.Equal(43.09m, q3Of2025.Reimbursed);
        Assert.Equal(0m, q1.RecoverableVat);
        Assert.Empty(q1.Unconfirmed);
    }

    [Fact]
    public void A_mileage_rate_carried_forward_without_its_circular_is_reported_unconfirmed()
    {
        var result = Evaluate(new() { Country = "BE", Date = new(2026, 11, 20), Category = "mileage", Kilometres = 10m });
        var unconfirmed = Assert.Single(result.Unconfirmed);
        Assert.Equal(("be/expenses", "MileageRate"), (unconfirmed.Ruleset, unconfirmed.Parameter));
    }

    [Fact]
    public void French_fuel_recovers_80_percent_of_its_VAT_and_a_hotel_none()
    {
        var fuel = Evaluate(new() { Country = "FR", Date = new(2026, 5, 4), Category = "fuel", Amount = 90.00m, Vat = 15.00m });
        var hotel = Evaluate(new() { Country = "FR", Date = new(2026, 5, 4), Category = "lodging", Amount = 110.00m, Vat = 10.00m });
        Assert.Equal((12.00m, 78.00m), (fuel.RecoverableVat, fuel.Charged));
        Assert.Equal((0m, 110.00m), (hotel.RecoverableVat, hotel.Charged));
    }

    [Fact]
    public void French_mileage_follows_the_scale_of_the_cars_horsepower()
    {
        var result = Evaluate(new() { Country = "FR", Date = new(2025, 6, 2), Category = "mileage-car-5cv", Kilometres = 100m });
        Assert.Equal(63.60m, result.Reimbursed);
        Assert.Contains(result.Trace, t => t.Rule == "mileage-allowance-5cv");
    }

    [Fact]
    public void A_category_the_rule_set_does_not_list_is_refused_naming_the_field()
    {
        var outcome = Repo.Evaluator.EvaluateExpense(new() { Country = "BE", Date = new(2026, 5, 4), Category = "yacht", Amount = 10m });
        Assert.Contains("car-costs", Assert.Single(outcome.Errors["category"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_country_without_an_expenses_rule_set_is_not_covered()
    {
        var outcome = Repo.Evaluator.EvaluateExpense(new() { Country = "SE", Date = new(2026, 5, 4), Category = "supplies", Amount = 10m });
        Assert.True(outcome.NotCovered.ContainsKey("country"));
    }

    [Fact]
    public void The_Belgian_categories_have_names_in_english_french_and_dutch()
    {
        var set = Repo.Book.Value.Find("BE", Topics.Expenses, new DateOnly(2026, 5, 4))!;
        Assert.NotEmpty(set.File.Categories);
        Assert.All(set.File.Categories, c => Assert.True(c.Names.ContainsKey("en") && c.Names.ContainsKey("fr") && c.Names.ContainsKey("nl"), c.Code));
    }

    [Fact]
    public void An_expenses_rule_without_what_is_reimbursed_is_a_problem_with_its_path_and_line()
    {
        using var rules = new TempRules();
        var json = File.ReadAllText(Path.Combine(Repo.RulesDirectory, "be", "expenses.json"));
        // The first rule loses its 'reimbursed' local param: the loader names the rule and its line, and keeps the file out.
        var broken = json.Replace("\"Name\": \"reimbursed\",\n            \"Expression\": \"expense.Amount\"", "\"Name\": \"paid\",\n            \"Expression\": \"expense.Amount\"", StringComparison.Ordinal);
        Assert.NotEqual(json, broken);
        var path = rules.Write("expenses.json", broken);
        var book = rules.Load();
        var problem = Assert.Single(book.Problems, p => p.File == path && p.Path == "workflow.Rules[0].LocalParams");
        Assert.Contains("must define 'reimbursed'", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 0);
        Assert.Null(book.Find("BE", Topics.Expenses, new DateOnly(2026, 5, 4)));
    }

    [Fact]
    public void An_expenses_rule_set_without_categories_is_a_problem()
    {
        using var rules = new TempRules();
        var json = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(Repo.RulesDirectory, "be", "expenses.json")));
        json["categories"] = new Newtonsoft.Json.Linq.JArray();
        var path = rules.Write("expenses.json", json.ToString());
        Assert.Contains(rules.Load().Problems, p => p.File == path && p.Path == "categories" && p.Message.Contains("lists the expense categories", StringComparison.Ordinal));
    }
}
