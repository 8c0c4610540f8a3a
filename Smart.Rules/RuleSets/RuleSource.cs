using Smart.Rules.Evaluation;

namespace Smart.Rules.RuleSets;

/// <summary>
/// The text of one rule file and where it belongs: the country whose plugin compiles it, and the path that names it
/// (a file on disk, or its key in the rule-set store such as <c>be/contribution.json</c>). Two sources with one path are
/// two versions of the same rule set.
/// </summary>
public sealed record RuleSource(string Country, string Path, string Text)
{
    /// <summary>Which published version of the rule-set store this text is, when it comes from there: named in every evaluation that uses it.</summary>
    public RuleSetPublication? Publication { get; init; }

    /// <summary>The store key of a file in a rules directory: <c>&lt;cc&gt;/&lt;file&gt;.json</c>, lower-case country folder.</summary>
    public static string KeyOf(string country, string fileName) => $"{country.ToLowerInvariant()}/{fileName}";

    /// <summary>Every <c>&lt;cc&gt;/*.json</c> under a rules directory, each named by its full path; the folder is the country.</summary>
    public static IEnumerable<RuleSource> ReadDirectory(string rulesDirectory) =>
        from folder in Directory.GetDirectories(rulesDirectory).Order(StringComparer.Ordinal)
        from path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
        select new RuleSource(System.IO.Path.GetFileName(folder).ToUpperInvariant(), path, File.ReadAllText(path));
}

/// <summary>A published version of a rule set: its version number in the rule-set store and when it was published (what was known from then on).</summary>
public sealed record RuleSetPublication(int StoreVersion, DateTime PublishedAtUtc);

/// <summary>
/// What checking a draft found: the compiled draft (when it loads), the book it would make (when its period fits), every
/// problem with its place, and each of its own tests passed or failed with the differences.
/// </summary>
public sealed record DraftCheck(CompiledRuleSet? RuleSet, RuleBook? Book, IReadOnlyList<RuleSetProblem> Problems, IReadOnlyList<RuleSetTestResult> Tests)
{
    public bool Passed => RuleSet is not null && Book is not null && Problems.Count == 0;
}

/// <summary>One embedded test of a rule file: its name, and what differed from what it expects (none when it passed).</summary>
public sealed record RuleSetTestResult(int Index, string Name, IReadOnlyList<RuleSetProblem> Differences)
{
    public bool Passed => Differences.Count == 0;
}
