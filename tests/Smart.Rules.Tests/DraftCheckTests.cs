using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>RuleBook.Check: what a draft must pass before it can replace the rule set under its path, without touching the book.</summary>
public sealed class DraftCheckTests
{
    // The repository's book names each rule set by its file's full path: a draft replaces the set with the same path.
    private static readonly string Path = System.IO.Path.Combine(Repo.RulesDirectory, "be", "contribution.json");
    private static readonly string Shipped = File.ReadAllText(System.IO.Path.Combine(Repo.RulesDirectory, "be", "contribution.json"));

    [Fact]
    public void A_draft_that_loads_and_passes_its_tests_gives_the_book_it_would_make()
    {
        var draft = Shipped.Replace("\"value\": 0.065, \"note\"", "\"value\": 0.065, \"note\": \"x\" }, { \"from\": \"2030-01-01\", \"value\": 0.07, \"note\"", StringComparison.Ordinal);
        var check = Repo.Book.Value.Check(new RuleSource("BE", Path, draft));

        Assert.True(check.Passed, string.Join("\n", check.Problems));
        Assert.NotEmpty(check.Tests);
        Assert.All(check.Tests, t => Assert.True(t.Passed));
        Assert.Equal(0.07m, (decimal)check.Book!.Find("BE", Topics.Contribution, new DateOnly(2030, 1, 1))!.ValueOn("InvoicingContributionRate", new DateOnly(2030, 1, 1))!);
        // The book in force is unchanged.
        Assert.Equal(0.065m, (decimal)Repo.Book.Value.Find("BE", Topics.Contribution, new DateOnly(2030, 1, 1))!.ValueOn("InvoicingContributionRate", new DateOnly(2030, 1, 1))!);
    }

    [Fact]
    public void A_failing_test_is_reported_with_its_name_and_the_difference_at_its_place()
    {
        var draft = Shipped.Replace("\"value\": 0.065", "\"value\": 0.08", StringComparison.Ordinal);
        var check = Repo.Book.Value.Check(new RuleSource("BE", Path, draft));

        Assert.False(check.Passed);
        var failed = check.Tests.First(t => !t.Passed);
        var difference = failed.Differences[0];
        Assert.StartsWith($"tests[{failed.Index}].expect.contribution", difference.Path, StringComparison.Ordinal);
        Assert.Contains("expected 0.065", difference.Message, StringComparison.Ordinal);
        Assert.True(difference.Line > 0);
        Assert.Contains(difference, check.Problems);
    }

    [Theory]
    [InlineData("{ \"country\": \"BE\", ", "not valid JSON")]
    [InlineData(null, "Unknown parameter or input")]
    public void A_draft_that_does_not_load_has_no_book_and_says_where(string? text, string message)
    {
        text ??= Shipped.Replace("InvoicingContributionRate\" }", "InvoicingContributionRat\" }", StringComparison.Ordinal)
            .Replace("\"Expression\": \"InvoicingContributionRate\"", "\"Expression\": \"InvoicingContributionRat\"", StringComparison.Ordinal);
        Assert.NotEqual(Shipped, text);
        var check = Repo.Book.Value.Check(new RuleSource("BE", Path, text));

        Assert.False(check.Passed);
        Assert.Null(check.Book);
        Assert.Contains(check.Problems, p => p.File == Path && p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_draft_whose_period_overlaps_another_file_of_its_topic_is_refused()
    {
        var check = Repo.Book.Value.Check(new RuleSource("BE", "be/contribution-2027.json", Shipped.Replace("\"validFrom\": \"2018-01-01\"", "\"validFrom\": \"2027-01-01\"", StringComparison.Ordinal)));
        Assert.False(check.Passed);
        Assert.Contains(check.Problems, p => p.Path == "validFrom" && p.Message.Contains("overlaps", StringComparison.Ordinal));
    }
}
