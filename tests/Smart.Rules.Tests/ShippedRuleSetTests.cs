using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>Every shipped rule file loads without a problem, and the tests written inside it pass.</summary>
public class ShippedRuleSetTests
{
    public static TheoryData<string> Files() => [.. Directory.GetFiles(Repo.RulesDirectory, "*.json", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Repo.RulesDirectory, f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Rule_file_loads_and_its_own_tests_pass(string file)
    {
        var path = Path.Combine(Repo.RulesDirectory, file);
        var problems = Repo.Book.Value.Problems.Where(p => p.File == path).Select(p => p.ToString()).ToList();
        Assert.Empty(problems);
        var set = Assert.Single(Repo.Book.Value.RuleSets, s => s.Path == path);
        Assert.True(set.File.Tests.Count > 0 || set.Topic == Topics.LegalForms, $"{file} carries no tests");
    }

    [Fact]
    public void Every_dated_value_of_the_shipped_files_is_tested_the_day_before_and_the_day_it_starts()
    {
        var untested = Repo.Book.Value.RuleSets.SelectMany(RuleSetTests.UntestedDates).Select(w => w.ToString()).ToList();
        Assert.Empty(untested);
    }

    [Fact]
    public void Every_prepared_draft_loads_in_place_of_its_shipped_file_and_its_own_tests_pass()
    {
        var drafts = RuleSource.ReadDirectory(Path.Combine(Repo.Root, "rule-drafts")).ToList();
        Assert.NotEmpty(drafts);
        foreach (var draft in drafts)
        {
            var name = Path.GetFileName(draft.Path);
            var sources = RuleSource.ReadDirectory(Repo.RulesDirectory).Where(s => s.Country != draft.Country || Path.GetFileName(s.Path) != name).Append(draft);
            var book = RuleBook.Load(sources, Repo.Plugins.Value);
            Assert.Empty(book.Problems.Select(p => p.ToString()));
            Assert.Empty(RuleSetTests.UntestedDates(Assert.Single(book.RuleSets, s => s.Path == draft.Path)));
        }
    }

    [Fact]
    public void A_dated_value_without_tests_on_either_side_is_listed_with_the_days_missing()
    {
        var file = new RuleSetFile
        {
            Topic = Topics.Contribution, ValidFrom = new DateOnly(2024, 1, 1),
            Parameters = { ["Rate"] = new ParameterDefinition { Values = [new() { From = new DateOnly(2024, 1, 1) }, new() { From = new DateOnly(2025, 1, 1) }] } },
            Tests = [new RuleSetTest { Input = new Newtonsoft.Json.Linq.JObject { ["date"] = "2025-01-01" } }],
        };
        var warning = Assert.Single(RuleSetTests.UntestedDates("x.json", file));
        Assert.Equal("parameters.Rate.values[1].from", warning.Path);
        Assert.Contains("no test on 2024-12-31 (", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_plugin_loads_and_no_rules_folder_is_orphaned()
    {
        Assert.Empty(Repo.Plugins.Value.Problems);
        Assert.DoesNotContain(Repo.Book.Value.Problems, p => !p.File.EndsWith(".json", StringComparison.Ordinal));
    }
}
