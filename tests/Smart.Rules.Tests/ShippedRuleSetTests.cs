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
    public void Every_plugin_loads_and_no_rules_folder_is_orphaned()
    {
        Assert.Empty(Repo.Plugins.Value.Problems);
        Assert.DoesNotContain(Repo.Book.Value.Problems, p => !p.File.EndsWith(".json", StringComparison.Ordinal));
    }
}
