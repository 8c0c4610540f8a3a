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

    public static RuleBook Load(string rulesDirectory, PluginCatalog plugins, RuleBook? inForce = null)
    {
        var problems = new List<RuleSetProblem>();
        var loaded = new List<CompiledRuleSet>();
        if (!Directory.Exists(rulesDirectory))
            return new(plugins, [], [new(rulesDirectory, "", 0, "the rules directory does not exist")]);

        foreach (var folder in Directory.GetDirectories(rulesDirectory).Order(StringComparer.Ordinal))
        {
            var country = Path.GetFileName(folder).ToUpperInvariant();
            var plugin = plugins.Find(country);
            if (plugin is null)
            {
                problems.Add(new(folder, "", 0, $"no country plugin for '{country}': its rule sets are not loaded"));
                continue;
            }
            foreach (var path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var result = RuleSetLoader.Load(path, File.ReadAllText(path), plugin.Plugin.ExpressionHelpers);
                problems.AddRange(result.Problems);
                if (result.RuleSet is { } set && set.File.Country != country)
                {
                    problems.Add(new(path, "country", RuleSetLoader.LineOf(result.Json!, "country"), $"country '{set.File.Country}' is filed under rules/{country.ToLowerInvariant()}/"));
                    set = null;
                }
                if (result.RuleSet is { } good && good.File.Country == country) loaded.Add(good);
                else KeepInForce(inForce, path, loaded, problems);
            }
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
        problems.Add(new(path, "", 0, $"the version in force ({previous.Version}) stays until this file is fixed"));
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
                        $"{after.Id} from {after.ValidFrom:yyyy-MM-dd} overlaps {Path.GetFileName(before.Path)} (valid to {before.ValidTo?.ToString("yyyy-MM-dd") ?? "open end"})"));
                    sets.Remove(after);
                }
                else if (before.ValidTo.Value.AddDays(1) < after.ValidFrom)
                    problems.Add(new(after.Path, "validFrom", 0,
                        $"{after.Id} has a gap: {Path.GetFileName(before.Path)} ends {before.ValidTo:yyyy-MM-dd}, this one starts {after.ValidFrom:yyyy-MM-dd}"));
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
    public IEnumerable<CompiledRuleSet> All => byTopic.Values.SelectMany(x => x);

    public CompiledRuleSet? Find(string topic, DateOnly date)
    {
        if (!byTopic.TryGetValue(topic, out var sets)) return null;
        foreach (var set in sets)
            if (set.CoversDate(date)) return set;
        return null;
    }

    public bool Has(string topic) => byTopic.ContainsKey(topic);
}
