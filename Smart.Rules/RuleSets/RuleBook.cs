using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;

namespace Smart.Rules.RuleSets;

/// <summary>
/// Every country's rule sets in force, compiled once per version. Immutable: a reload builds a new book, and a file
/// that fails to load or whose tests fail never replaces the version the previous book had in force.
/// </summary>
public sealed class RuleBook
{
    private readonly Dictionary<string, CountryRules> countries;

    private RuleBook(PluginCatalog plugins, Dictionary<string, CountryRules> countries, IReadOnlyList<RuleSetProblem> problems)
    {
        Plugins = plugins;
        this.countries = countries;
        Problems = problems;
    }

    public PluginCatalog Plugins { get; }
    public IReadOnlyList<RuleSetProblem> Problems { get; }
    public IEnumerable<string> Countries => countries.Keys;
    public IEnumerable<CompiledRuleSet> RuleSets => countries.Values.SelectMany(c => c.All);

    internal CountryRules? Country(string code) => countries.GetValueOrDefault(code);

    /// <summary>The rule set of a country and topic in force on a date, if any.</summary>
    public CompiledRuleSet? Find(string country, string topic, DateOnly date) => Country(country)?.Find(topic, date);

    /// <summary>Every rule file under <paramref name="rulesDirectory"/>/&lt;cc&gt;/*.json, each named by its full path.</summary>
    public static RuleBook Load(string rulesDirectory, PluginCatalog plugins, RuleBook? inForce = null)
    {
        if (!Directory.Exists(rulesDirectory))
            return new(plugins, [], [new(rulesDirectory, "", 0, "the rules directory does not exist")]);
        return Load(RuleSource.ReadDirectory(rulesDirectory), plugins, inForce);
    }

    /// <summary>
    /// Compiles the given rule files (from a directory or the rule-set store) into a book. A file that fails keeps the version
    /// <paramref name="inForce"/> had under the same path, so a broken edit never replaces what applies.
    /// </summary>
    public static RuleBook Load(IEnumerable<RuleSource> sources, PluginCatalog plugins, RuleBook? inForce = null)
    {
        var problems = new List<RuleSetProblem>();
        var loaded = new List<CompiledRuleSet>();
        var missingPlugins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources.OrderBy(s => s.Country, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal))
        {
            var plugin = plugins.Find(source.Country);
            if (plugin is null)
            {
                if (missingPlugins.Add(source.Country))
                    problems.Add(new(source.Path, "", 0, ProblemKinds.NoPluginLoaded.With(source.Country)));
                continue;
            }
            var set = Compile(source, plugin, problems);
            set?.Stamp(source.Publication);
            if (set is not null) loaded.Add(set);
            else KeepInForce(inForce, source.Path, loaded, problems);
        }

        CheckPeriods(loaded, problems);
        var book = Build(plugins, loaded, problems);

        // Tests evaluate whole documents, so they run against the book they would be part of.
        var failing = new List<CompiledRuleSet>();
        foreach (var set in book.RuleSets)
        {
            var failures = RuleSetTests.Run(book, set);
            if (failures.Count == 0) continue;
            problems.AddRange(failures);
            failing.Add(set);
        }
        if (failing.Count == 0) return book;
        foreach (var set in failing)
        {
            loaded.Remove(set);
            KeepInForce(inForce, set.Path, loaded, problems);
        }
        return Build(plugins, loaded, problems);
    }

    /// <summary>
    /// Everything a draft must pass before it may replace the rule set under its path: it loads (JSON, schema, expressions,
    /// parameters, topic), its period fits beside the country's other rule sets, and its own tests pass against this book with
    /// the draft in it. Nothing here changes this book.
    /// </summary>
    public DraftCheck Check(RuleSource draft)
    {
        var problems = new List<RuleSetProblem>();
        var plugin = Plugins.Find(draft.Country);
        if (plugin is null)
            return new(null, null, [new(draft.Path, "", 0, ProblemKinds.NoPlugin.With(draft.Country))], []);
        var set = Compile(draft, plugin, problems);
        if (set is null) return new(null, null, problems, []);

        var others = RuleSets.Where(s => s.Path != draft.Path).ToList();
        var withDraft = others.Append(set).ToList();
        CheckPeriods(withDraft, problems);
        if (!withDraft.Contains(set)) return new(set, null, problems, []);

        var book = Build(Plugins, withDraft, []);
        var tests = RuleSetTests.RunEach(book, set);
        problems.AddRange(tests.SelectMany(t => t.Differences));
        return new(set, book, problems, tests);
    }

    private static CompiledRuleSet? Compile(RuleSource source, CountryPluginInfo plugin, List<RuleSetProblem> problems)
    {
        var result = RuleSetLoader.Load(source.Path, source.Text, plugin.Plugin.ExpressionHelpers);
        problems.AddRange(result.Problems);
        if (result.RuleSet is not { } set) return null;
        if (!string.Equals(set.File.Country, source.Country, StringComparison.Ordinal))
        {
            problems.Add(new(source.Path, "country", RuleSetLoader.LineOf(result.Json!, "country"),
                ProblemKinds.CountryNotFolder.With(set.File.Country, source.Country.ToLowerInvariant())));
            return null;
        }
        return set;
    }

    /// <summary>A book where one rule set is replaced by (or added as) a draft, to test or simulate it before publishing.</summary>
    public RuleBook With(CompiledRuleSet draft)
    {
        var sets = RuleSets.Where(s => s.Path != draft.Path).Append(draft).ToList();
        return Build(Plugins, sets, [.. Problems]);
    }

    private static void KeepInForce(RuleBook? inForce, string path, List<CompiledRuleSet> loaded, List<RuleSetProblem> problems)
    {
        var previous = inForce?.RuleSets.FirstOrDefault(s => s.Path == path);
        if (previous is null) return;
        loaded.Add(previous);
        problems.Add(new(path, "", 0, ProblemKinds.VersionInForceStays.With(previous.Version)));
    }

    private static void CheckPeriods(List<CompiledRuleSet> sets, List<RuleSetProblem> problems)
    {
        foreach (var group in sets.GroupBy(s => (s.File.Country, s.Topic)).ToList())
        {
            var ordered = group.OrderBy(s => s.ValidFrom).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (before, after) = (ordered[i - 1], ordered[i]);
                if (before.ValidTo is null || before.ValidTo >= after.ValidFrom)
                {
                    problems.Add(new(after.Path, "validFrom", 0,
                        ProblemKinds.PeriodOverlaps.With(after.Id, after.ValidFrom, Path.GetFileName(before.Path), before.ValidTo is { } end ? end : ProblemKinds.OpenEnd.With())));
                    sets.Remove(after);
                }
                else if (before.ValidTo.Value.AddDays(1) < after.ValidFrom)
                    problems.Add(new(after.Path, "validFrom", 0,
                        ProblemKinds.PeriodGap.With(after.Id, Path.GetFileName(before.Path), before.ValidTo.Value, after.ValidFrom)));
            }
        }
    }

    private static RuleBook Build(PluginCatalog plugins, List<CompiledRuleSet> sets, List<RuleSetProblem> problems)
    {
        var countries = sets.GroupBy(s => s.File.Country)
            .ToDictionary(g => g.Key, g => new CountryRules(plugins.Find(g.Key)!, g), StringComparer.OrdinalIgnoreCase);
        return new(plugins, countries, problems);
    }
}

/// <summary>One country's plugin and rule sets, by topic, in date order.</summary>
internal sealed class CountryRules(CountryPluginInfo plugin, IEnumerable<CompiledRuleSet> sets)
{
    private readonly Dictionary<string, CompiledRuleSet[]> byTopic = sets.GroupBy(s => s.Topic)
        .ToDictionary(g => g.Key, g => g.OrderBy(s => s.ValidFrom).ToArray());

    public CountryPluginInfo Plugin { get; } = plugin;

    /// <summary>The most argument slots any of its rule sets needs, so one array serves every topic of a document.</summary>
    public int SlotCount { get; } = sets.Max(s => s.SlotCount);
    public IEnumerable<CompiledRuleSet> All => byTopic.Values.SelectMany(x => x);

    // The topics by their constant (the evaluator asks five times a document): found by reference, without hashing the name.
    private static readonly string[] KnownTopics = [.. Topics.All];
    private CompiledRuleSet[]?[] ByKnownTopic => byKnownTopic ??= [.. KnownTopics.Select(t => byTopic.GetValueOrDefault(t))];
    private CompiledRuleSet[]?[]? byKnownTopic;

    private CompiledRuleSet[]? SetsOf(string topic)
    {
        for (var i = 0; i < KnownTopics.Length; i++)
            if (ReferenceEquals(KnownTopics[i], topic)) return ByKnownTopic[i];
        return byTopic.GetValueOrDefault(topic);
    }

    public CompiledRuleSet? Find(string topic, DateOnly date)
    {
        if (SetsOf(topic) is not { } sets) return null;
        foreach (var set in sets)
            if (set.CoversDate(date)) return set;
        return null;
    }

    public bool Has(string topic) => byTopic.ContainsKey(topic);
}
