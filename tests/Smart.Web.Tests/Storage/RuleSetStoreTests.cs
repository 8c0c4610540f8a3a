using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Storage;

/// <summary>The rule-set store's contract (workflow states, publication times, what was known when), run on both stores.</summary>
public abstract class RuleSetStoreContract
{
    protected readonly StoppedClock Clock = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    protected abstract Task<(IRuleSetStore Store, IAuditLog Audit)> OpenAsync();

    private static readonly AuditActor Author = new("compliance@smart.test");
    private static readonly AuditActor Approver = new("approver@smart.test");

    [Fact]
    public async Task A_publication_supersedes_the_version_in_force_and_the_book_as_known_before_it_keeps_the_old_one()
    {
        var (store, audit) = await OpenAsync();
        var seededAt = Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(2, await store.SeedAsync([("be/vat.json", "BE", "vat", "{ \"v\": 1 }"), ("fr/vat.json", "FR", "vat", "{ \"f\": 1 }")], RuleBookInForceSeed));
        Assert.Equal(0, await store.SeedAsync([("be/vat.json", "BE", "vat", "{ \"v\": 9 }")], RuleBookInForceSeed));
        var first = (await store.InForceAsync("be/vat.json"))!;

        Clock.Advance(TimeSpan.FromDays(30));
        var draft = await store.AddDraftAsync("be/vat.json", "BE", "vat", "{ \"v\": 2 }", first.Id, Author);
        Assert.Equal(2, draft.Number);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.SaveDraftAsync(draft.Id, "{ }", expectedRevision: 7, Author)).Status);
        Assert.True((await store.SubmitAsync(draft.Id, "new rate", Author)).Updated);
        Assert.Equal(["be/vat.json"], (await store.PendingAsync(CountryScope.Only("BE"))).Select(v => v.Key));
        Assert.Empty(await store.PendingAsync(CountryScope.Only("FR")));

        Clock.Advance(TimeSpan.FromDays(1));
        var publishedAt = Clock.GetUtcNow().UtcDateTime;
        var published = await store.PublishAsync(draft.Id, null, Approver);
        Assert.True(published.Updated);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.PublishAsync(draft.Id, null, Approver)).Status);

        Assert.Equal(["{ \"v\": 2 }", "{ \"f\": 1 }"], (await store.InForceAsync()).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Text));
        Assert.Equal([RuleSetVersionStatus.Published, RuleSetVersionStatus.Superseded], (await store.HistoryAsync("be/vat.json")).Select(v => v.Status));
        Assert.Equal(publishedAt, (await store.GetAsync(draft.Id))!.PublishedAtUtc);
        Assert.Equal(["{ \"v\": 1 }", "{ \"f\": 1 }"], (await store.KnownOnAsync(publishedAt.AddSeconds(-1))).Select(v => v.Text));
        Assert.Equal(["{ \"v\": 2 }", "{ \"f\": 1 }"], (await store.KnownOnAsync(publishedAt)).Select(v => v.Text));
        Assert.Empty(await store.KnownOnAsync(seededAt.AddSeconds(-1)));
        Assert.Empty(await store.PendingAsync(CountryScope.All));

        var history = await audit.ForEntityAsync(AuditedEntity.RuleSet, "be/vat.json");
        Assert.Equal(5, history.Count);
        Assert.Contains(history, e => e.Changes.Contains(new AuditChange("status", "published", "superseded")));
        Assert.Contains(history, e => e.Actor == Approver.Name && e.Changes.Contains(new AuditChange("status", "submitted", "published")));
    }

    [Fact]
    public async Task A_discarded_draft_leaves_the_pending_list_is_never_submitted_and_its_number_is_not_reused()
    {
        var (store, audit) = await OpenAsync();
        await store.SeedAsync([("be/vat.json", "BE", "vat", "{ \"v\": 1 }")], RuleBookInForceSeed);
        var first = (await store.InForceAsync("be/vat.json"))!;
        var draft = await store.AddDraftAsync("be/vat.json", "BE", "vat", "{ \"v\": 2 }", first.Id, Author);

        Assert.True((await store.DiscardAsync(draft.Id, Author)).Updated);

        Assert.Equal(RuleSetVersionStatus.Discarded, (await store.GetAsync(draft.Id))!.Status);
        Assert.Empty(await store.PendingAsync(CountryScope.All));
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.SubmitAsync(draft.Id, "too late", Author)).Status);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.DiscardAsync(draft.Id, Author)).Status);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.DiscardAsync(first.Id, Author)).Status);
        Assert.Equal(3, (await store.AddDraftAsync("be/vat.json", "BE", "vat", "{ \"v\": 3 }", first.Id, Author)).Number);
        Assert.Contains(await audit.ForEntityAsync(AuditedEntity.RuleSet, "be/vat.json"),
            e => e.Actor == Author.Name && e.Changes.Contains(new AuditChange("status", "draft", "discarded")));
    }

    private static AuditActor RuleBookInForceSeed => AuditActor.System("rules-seed");

    public sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbRuleSetStoreTests : RuleSetStoreContract, IDisposable
{
    private readonly TemporaryStore store = new();

    protected override Task<(IRuleSetStore Store, IAuditLog Audit)> OpenAsync() =>
        Task.FromResult<(IRuleSetStore, IAuditLog)>((new LiteDbRuleSetStore(store.Database, store.Audit, Clock), store.Audit));

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlRuleSetStoreTests : RuleSetStoreContract, IAsyncDisposable
{
    private PostgreSqlDirectory? database;

    protected override async Task<(IRuleSetStore Store, IAuditLog Audit)> OpenAsync()
    {
        database = await PostgreSqlDirectory.OpenAsync();
        return (new PostgreSqlRuleSetStore(database.DataSource, Clock), database.Audit);
    }

    public async ValueTask DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
