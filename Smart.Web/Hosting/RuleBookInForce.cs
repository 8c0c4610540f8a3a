using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Hosting;

/// <summary>
/// The rule book built from the published versions in the rule-set store, swapped whole when a version is published. Requests
/// take the book (and its evaluator) current when they start, so one request never sees two books. The shipped <c>rules/</c>
/// files seed the store: a rule set the store lacks is published as version 1; a shipped file that changed since waits for
/// approval as a submitted version, like any other change.
/// </summary>
public sealed class RuleBookInForce
{
    public static readonly AuditActor Seed = AuditActor.System("rules-seed");

    private readonly PluginCatalog plugins;
    private readonly IRuleSetStore store;
    private readonly ISimulationStore simulations;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Lock reloads = new();
    private volatile Snapshot current;

    public RuleBookInForce(PluginCatalog plugins, IRuleSetStore store, ISimulationStore simulations, TimeProvider clock, SmartDirectories directories,
        ILogger<RuleBookInForce> logger)
    {
        this.plugins = plugins;
        this.store = store;
        this.simulations = simulations;
        this.clock = clock;
        this.logger = logger;
        SeedFrom(directories.Rules);
        SubmitPreparedDrafts(directories.RuleDrafts);
        current = Build(store.InForceAsync().GetAwaiter().GetResult(), null);
    }

    public RuleBook Book => current.Book;
    public DocumentEvaluator Evaluator => current.Evaluator;

    /// <summary>
    /// Rebuilds the book from the store's published versions; a version that fails keeps the one the current book has. The same versions
    /// as the book in force keep it: the publishing instance reloads, then hears its own publication as every other instance does.
    /// </summary>
    public RuleBook Reload()
    {
        lock (reloads)
        {
            var published = store.InForceAsync().GetAwaiter().GetResult();
            if (KeyOf(published) != current.Key) current = Build(published, current.Book);
            return current.Book;
        }
    }

    /// <summary>
    /// The evaluator of the rule book as known at <paramref name="instant"/>: built from the versions published by then, so a late
    /// publication (a year's indexed figures published months into it) can be told apart from what was applied before it. The few books
    /// asked for are kept, keyed by the versions they hold, as most instants between two publications give the same book.
    /// </summary>
    public DocumentEvaluator KnownOn(DateTimeOffset instant)
    {
        var versions = store.KnownOnAsync(instant.UtcDateTime).GetAwaiter().GetResult();
        var key = KeyOf(versions);
        if (key == current.Key) return current.Evaluator;
        if (known.Count > 16) known.Clear();
        return known.GetOrAdd(key, _ => new Lazy<DocumentEvaluator>(() => new DocumentEvaluator(Logged(Compile(versions, null), $"as known on {instant:O}")))).Value;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<DocumentEvaluator>> known = new(StringComparer.Ordinal);

    private RuleBook Compile(IReadOnlyList<RuleSetVersion> versions, RuleBook? inForce) =>
        RuleBook.Load(versions.Select(v => new RuleSource(v.Country, v.Key, v.Text) { Publication = v.PublishedAtUtc is { } at ? new(v.Number, at) : null }), plugins, inForce);

    private Snapshot Build(IReadOnlyList<RuleSetVersion> published, RuleBook? inForce)
    {
        var book = Logged(Compile(published, inForce), "in force");
        return new(book, new DocumentEvaluator(book), KeyOf(published));
    }

    /// <summary>A version that fails to load or its own tests is left out of the book (or the one before it kept): said, never silently.</summary>
    private RuleBook Logged(RuleBook book, string which)
    {
        foreach (var problem in book.Problems)
            logger.LogWarning("Rule set problem ({Which}) in {File} at {Path} (line {Line}): {Message}", which, problem.File, problem.Path, problem.Line, problem.Message);
        logger.LogInformation("{Count} rule sets {Which} from the rule-set store", book.RuleSets.Count(), which);
        return book;
    }

    private static string KeyOf(IEnumerable<RuleSetVersion> published) => string.Join(",", published.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Id));

    private void SeedFrom(string rulesDirectory)
    {
        if (!Directory.Exists(rulesDirectory))
        {
            logger.LogWarning("No rules directory at {Directory}: only the rule sets already in the store are used", rulesDirectory);
            return;
        }
        var shipped = RuleSource.ReadDirectory(rulesDirectory)
            .Select(s => (Key: RuleSource.KeyOf(s.Country, Path.GetFileName(s.Path)), s.Country, Topic: TopicOf(s.Path), s.Text))
            .ToList();
        var added = store.SeedAsync(shipped, Seed).GetAwaiter().GetResult();
        if (added > 0) logger.LogInformation("{Count} shipped rule sets stored from {Directory}", added, rulesDirectory);

        foreach (var file in shipped)
        {
            var history = store.HistoryAsync(file.Key).GetAwaiter().GetResult();
            // LiteDB trims the whitespace around stored strings (BsonMapper.TrimWhitespace), so a file's final newline is not a change.
            if (history.Any(v => string.Equals(v.Text.Trim(), file.Text.Trim(), StringComparison.Ordinal))) continue;
            var draft = store.AddDraftAsync(file.Key, file.Country, file.Topic, file.Text, history.FirstOrDefault(v => v.Status == RuleSetVersionStatus.Published)?.Id, Seed)
                .GetAwaiter().GetResult();
            store.SubmitAsync(draft.Id, "the shipped rules/ file changed", Seed).GetAwaiter().GetResult();
            logger.LogWarning("The shipped {Key} differs from the version in force: submitted as version {Number} for approval", file.Key, draft.Number);
        }
    }

    /// <summary>
    /// Each prepared change (rule-drafts/) is stored once as a draft of the version in force and submitted for approval, as a
    /// compliance officer would; it never applies by itself. One stored already, in any state, is never submitted again.
    /// </summary>
    private void SubmitPreparedDrafts(string draftsDirectory)
    {
        if (draftsDirectory.Length == 0 || !Directory.Exists(draftsDirectory)) return;
        foreach (var file in RuleSource.ReadDirectory(draftsDirectory))
        {
            var key = RuleSource.KeyOf(file.Country, Path.GetFileName(file.Path));
            var history = store.HistoryAsync(key).GetAwaiter().GetResult();
            var inForce = history.FirstOrDefault(v => v.Status == RuleSetVersionStatus.Published);
            if (inForce is null || history.Any(v => string.Equals(v.Text.Trim(), file.Text.Trim(), StringComparison.Ordinal))) continue;
            var draft = store.AddDraftAsync(key, file.Country, TopicOf(file.Path), file.Text, inForce.Id, Seed).GetAwaiter().GetResult();
            store.SubmitAsync(draft.Id, "a prepared change shipped in rule-drafts/: publish it only once the law it anticipates is published", Seed)
                .GetAwaiter().GetResult();
            // Its impact, ready on its page for the approver: from the first day it changes to that year's end. Queued here, it is run
            // by the simulation job once the app has started (start-up queues every unfinished simulation).
            var from = RuleSetText.FirstDayChanged(inForce.Text, file.Text) ?? new DateOnly(clock.GetUtcNow().Year, 1, 1);
            simulations.AddAsync(new ImpactSimulation
            {
                VersionId = draft.Id, Key = key, VersionNumber = draft.Number, Country = CountryCode.Normalise(file.Country), DraftText = file.Text,
                From = from, To = new DateOnly(from.Year, 12, 31), StartedBy = Seed.Name, StartedAtUtc = clock.GetUtcNow().UtcDateTime,
            }).GetAwaiter().GetResult();
            logger.LogInformation("The prepared change {Key} is submitted as version {Number} for approval, its impact simulated", key, draft.Number);
        }
    }

    /// <summary>The topic a file name starts with: <c>contribution.json</c> and <c>contribution-2027.json</c> are both contribution.</summary>
    private static string TopicOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return Topics.All.Where(t => name.StartsWith(t, StringComparison.Ordinal)).OrderByDescending(t => t.Length).FirstOrDefault() ?? name;
    }

    /// <param name="Key">The ids of the versions it was built from, in key order (as <see cref="KnownOn"/> names a book).</param>
    private sealed record Snapshot(RuleBook Book, DocumentEvaluator Evaluator, string Key);
}
