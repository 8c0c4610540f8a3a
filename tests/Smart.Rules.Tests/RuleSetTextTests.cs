using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>RuleSetText: what a change to a rule file's text means, on the shipped files and on small ones written here.</summary>
public sealed class RuleSetTextTests
{
    private static string Shipped(string key) => File.ReadAllText(Path.Combine(Repo.RulesDirectory, key));

    /// <summary>A file with a bounded rate, an unbounded one, a schedule in days and a flag; it ends in 2030.</summary>
    private const string Small = """
        {
          "validFrom": "2026-01-01",
          "validTo": "2030-12-31",
          "parameters": {
            "Rate": { "unit": "rate", "bounds": { "min": 0, "max": 0.2 }, "values": [ { "from": "2026-01-01", "value": 0.1 } ] },
            "Law": { "unit": "rate", "values": [ { "from": "2026-01-01", "value": 0.21 } ] },
            "Schedule": { "unit": "days", "values": [ { "from": "2026-01-01", "value": [15, 30] } ] },
            "Enabled": { "unit": "flag", "values": [ { "from": "2026-01-01", "value": true } ] }
          },
          "workflow": { "WorkflowName": "w", "Rules": [] },
          "tests": []
        }
        """;

    private static JToken? LastValue(string text, string parameter) => JObject.Parse(text)["parameters"]![parameter]!["values"]!.Last!["value"];

    [Theory]
    [InlineData("be/contribution.json", "InvoicingContributionRate")]          // its values on one line: [ { … } ]
    [InlineData("fr/contribution.json", "StandardServiceContributionRate")]    // one dated value per line
    public void A_dated_value_is_written_after_the_last_one_and_leaves_every_other_line_as_it_was(string key, string parameter)
    {
        var text = Shipped(key);
        var element = new JObject { ["from"] = "2030-01-01", ["value"] = 0.11m, ["source"] = new JObject { ["title"] = "Board decision" } };

        var result = RuleSetText.WithDatedValue(text, parameter, element);

        var expected = JObject.Parse(text);
        ((JArray)expected["parameters"]![parameter]!["values"]!).Add(element);
        Assert.True(JToken.DeepEquals(expected, JObject.Parse(result)));
        // Two lines differ: the comma after the value that was last, and the new value on its own line, as the file writes them.
        var changed = result.Split('\n').Except(text.Split('\n')).ToList();
        Assert.Equal(2, changed.Count);
        Assert.Contains(text.Split('\n'), line => line.Length > 0 && changed[0].TrimEnd(',').StartsWith(line.TrimEnd().TrimEnd(']').TrimEnd(), StringComparison.Ordinal));
        Assert.Equal("{ \"from\": \"2030-01-01\", \"value\": 0.11, \"source\": { \"title\": \"Board decision\" } }", changed[1].Trim().TrimEnd(']').TrimEnd());
    }

    [Theory]
    [InlineData("12 %", "0.12")]
    [InlineData("0,12", "0.12")]
    [InlineData("0.1200", "0.12")]
    public void A_rate_is_read_in_either_separator_or_as_a_percentage_without_trailing_zeros(string typed, string written)
    {
        var (text, refusal) = RuleSetText.AddDatedValue(Small, "Rate", new NewDatedValue(new DateOnly(2027, 1, 1), typed, SourceTitle: "Board"));

        Assert.Null(refusal);
        Assert.Equal(written, LastValue(text!, "Rate")!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal("Board", JObject.Parse(text!)["parameters"]!["Rate"]!["values"]!.Last!["source"]!["title"]!.Value<string>());
    }

    [Theory]
    [InlineData("Rate", "2026-01-01", "0.1", DatedValueProblem.NotAfterLast)]
    [InlineData("Rate", "2031-01-01", "0.1", DatedValueProblem.AfterValidTo)]
    [InlineData("Rate", "2027-01-01", "30 %", DatedValueProblem.OutsideBounds)]
    [InlineData("Law", "2027-01-01", "11", DatedValueProblem.BeyondUnit)]
    [InlineData("Law", "2027-01-01", "1.2.3", DatedValueProblem.NotANumber)]
    [InlineData("Schedule", "2027-01-01", "15; thirty", DatedValueProblem.NotANumberList)]
    [InlineData("Enabled", "2027-01-01", "maybe", DatedValueProblem.NotAFlag)]
    public void A_value_the_file_cannot_take_is_refused_with_the_reason(string parameter, string from, string typed, DatedValueProblem problem)
    {
        var (text, refusal) = RuleSetText.AddDatedValue(Small, parameter, new NewDatedValue(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), typed));

        Assert.Null(text);
        Assert.Equal(problem, refusal!.Problem);
    }

    [Fact]
    public void A_schedule_stays_a_list_of_whole_days_and_a_flag_reads_yes()
    {
        var (schedule, _) = RuleSetText.AddDatedValue(Small, "Schedule", new NewDatedValue(new DateOnly(2027, 1, 1), "10; 20 40"));
        Assert.Equal("[10,20,40]", LastValue(schedule!, "Schedule")!.ToString(Newtonsoft.Json.Formatting.None));
        var (flag, _) = RuleSetText.AddDatedValue(Small, "Enabled", new NewDatedValue(new DateOnly(2027, 1, 1), "no"));
        Assert.False(LastValue(flag!, "Enabled")!.Value<bool>());
    }

    [Fact]
    public void The_first_day_changed_is_the_earliest_value_changed_the_file_s_first_day_for_logic_and_none_for_a_note()
    {
        var (added, _) = RuleSetText.AddDatedValue(Small, "Law", new NewDatedValue(new DateOnly(2028, 7, 1), "0.22"));
        Assert.Equal(new DateOnly(2028, 7, 1), RuleSetText.FirstDayChanged(Small, added!));

        var logic = Small.Replace("\"Rules\": []", "\"Rules\": [ { \"RuleName\": \"r\", \"Expression\": \"true\" } ]", StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 1, 1), RuleSetText.FirstDayChanged(Small, logic));

        var noted = Small.Replace("\"value\": 0.21 }", "\"value\": 0.21, \"note\": \"checked\" }", StringComparison.Ordinal);
        Assert.NotEqual(Small, noted);
        Assert.Null(RuleSetText.FirstDayChanged(Small, noted));
        Assert.Null(RuleSetText.FirstDayChanged(Small, "{ not json"));
    }

    [Fact]
    public void A_values_only_change_is_a_bounded_parameter_s_dated_values_and_nothing_else()
    {
        var (bounded, _) = RuleSetText.AddDatedValue(Small, "Rate", new NewDatedValue(new DateOnly(2027, 1, 1), "0.12"));
        Assert.Empty(RuleSetText.ValuesOnlyProblems("x/small.json", Small, bounded!));

        var (law, _) = RuleSetText.AddDatedValue(Small, "Law", new NewDatedValue(new DateOnly(2027, 1, 1), "0.22"));
        Assert.Contains(RuleSetText.ValuesOnlyProblems("x/small.json", Small, law!), p => p.Path == "parameters.Law.values" && p.Line > 0);

        var widened = Small.Replace("\"max\": 0.2", "\"max\": 0.5", StringComparison.Ordinal);
        Assert.Contains(RuleSetText.ValuesOnlyProblems("x/small.json", Small, widened), p => p.Path == "parameters.Rate.bounds");

        var later = Small.Replace("\"validTo\": \"2030-12-31\"", "\"validTo\": \"2031-12-31\"", StringComparison.Ordinal);
        Assert.Contains(RuleSetText.ValuesOnlyProblems("x/small.json", Small, later), p => p.Path == "validTo");
        Assert.Single(RuleSetText.ValuesOnlyProblems("x/small.json", null, Small));
    }

    [Fact]
    public void A_new_dated_rate_reads_as_the_old_value_to_the_new_one_from_its_day()
    {
        var text = Shipped("be/contribution.json");
        var (draft, _) = RuleSetText.AddDatedValue(text, "InvoicingContributionRate", new(new DateOnly(2027, 1, 1), "7 %"));

        var change = Assert.Single(RuleSetText.ParameterChanges(text, draft!));

        Assert.Equal(("InvoicingContributionRate", "rate", new DateOnly(2027, 1, 1)), (change.Name, change.Unit, change.From));
        Assert.Equal(0.065m, change.Before!.Value<decimal>());
        Assert.Equal(0.07m, change.After!.Value<decimal>());
        var french = System.Globalization.CultureInfo.GetCultureInfo("fr-BE");
        Assert.Equal("6,5 %", RuleSetText.Show(change.Before, change.Unit, french));
        Assert.Equal("7 %", RuleSetText.Show(change.After, change.Unit, french));
    }

    [Fact]
    public void Changed_removed_and_added_values_each_read_on_their_day_and_unchanged_ones_not_at_all()
    {
        var after = Small
            .Replace("\"value\": 0.1 } ]", "\"value\": 0.1 }, { \"from\": \"2028-01-01\", \"value\": 0.12 } ]", StringComparison.Ordinal)
            .Replace("\"value\": [15, 30]", "\"value\": [15, 45]", StringComparison.Ordinal)
            .Replace("\"Enabled\": { \"unit\": \"flag\", \"values\": [ { \"from\": \"2026-01-01\", \"value\": true } ] }",
                "\"Ceiling\": { \"unit\": \"amount\", \"values\": [ { \"from\": \"2027-07-01\", \"value\": 12500 } ] }", StringComparison.Ordinal);

        var changes = RuleSetText.ParameterChanges(Small, after);

        Assert.Equal(["Rate", "Schedule", "Ceiling", "Enabled"], changes.Select(c => c.Name));
        Assert.Equal((new DateOnly(2028, 1, 1), 0.1m, 0.12m), (changes[0].From, changes[0].Before!.Value<decimal>(), changes[0].After!.Value<decimal>()));
        Assert.Equal("15; 45", RuleSetText.Show(changes[1].After, "days", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(changes[2].Before);
        Assert.Equal("12,500", RuleSetText.Show(changes[2].After, "amount", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        Assert.Null(changes[3].After);
        Assert.Empty(RuleSetText.ParameterChanges(Small, Small.Replace("\"tests\": []", "\"tests\": [ ]", StringComparison.Ordinal)));
        Assert.Empty(RuleSetText.ParameterChanges(Small, "{ not json"));
        // A value beyond any decimal (the check reports it) reads as written rather than throwing.
        var hostile = RuleSetText.ParameterChanges(Small, Small.Replace("\"value\": 0.1 }", "\"value\": 1e400 }", StringComparison.Ordinal));
        Assert.NotEmpty(RuleSetText.Show(Assert.Single(hostile).After, "rate", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_future_rate_applies_from_the_first_day_of_a_past_period_when_simulated_as_if_in_force()
    {
        var text = Shipped("be/contribution.json");
        var (draft, _) = RuleSetText.AddDatedValue(text, "InvoicingContributionRate", new(new DateOnly(2027, 1, 1), "0.07"));

        var asIf = RuleSetText.AsInForceFrom(text, draft!, new DateOnly(2026, 1, 1))!;

        var values = (JArray)JObject.Parse(asIf)["parameters"]!["InvoicingContributionRate"]!["values"]!;
        Assert.Equal(["2018-01-01", "2026-01-01"], values.Select(v => v.Value<string>("from")));
        Assert.Equal([0.065m, 0.07m], values.Select(v => v.Value<decimal>("value")));
        Assert.Empty((JArray)JObject.Parse(asIf)["tests"]!);
        // Read against the file in force: the future rate from the period's first day.
        var change = Assert.Single(RuleSetText.ParameterChanges(text, asIf));
        Assert.Equal((new DateOnly(2026, 1, 1), 0.07m), (change.From, change.After!.Value<decimal>()));
        Assert.Null(RuleSetText.AsInForceFrom(text, text, new DateOnly(2026, 1, 1)));
    }
}
