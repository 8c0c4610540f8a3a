using LiteDB;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.RuleSets;

/// <summary>
/// Rule-set versions in LiteDB, one document per version. Each step and its audit entry commit together; the edit lock
/// makes "is it still submitted?" and the write that follows one step, so two approvers cannot both publish.
/// </summary>
public sealed class LiteDbRuleSetStore : IRuleSetStore
{
    private readonly LiteDatabase database;
    private readonly ILiteCollection<StoredVersion> versions;
    private readonly LiteDbAuditLog audit;
    private readonly TimeProvider clock;
    private readonly Lock edits = new();

    public LiteDbRuleSetStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock)
    {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        versions = database.GetCollection<StoredVersion>("ruleSetVersions");
        versions.EnsureIndex(v => v.Key);
        versions.EnsureIndex(v => v.Status);
    }

    public Task<IReadOnlyList<RuleSetVersion>> InForceAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RuleSetVersion>>(versions.Find(v => v.Status == RuleSetVersionStatus.Published)
            .Select(v => v.ToVersion()).OrderBy(v => v.Key, StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<RuleSetVersion>> KnownOnAsync(DateTime instantUtc, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RuleSetVersion>>(versions
            .Find(v => v.Status == RuleSetVersionStatus.Published || v.Status == RuleSetVersionStatus.Superseded)
            .Select(v => v.ToVersion())
            .Where(v => v.PublishedAtUtc is { } published && published <= instantUtc)
            .GroupBy(v => v.Key)
            .Select(g => g.MaxBy(v => (v.PublishedAtUtc, v.Number))!)
            .OrderBy(v => v.Key, StringComparer.Ordinal).ToList());

    public Task<RuleSetVersion?> InForceAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(versions.FindOne(v => v.Key == key && v.Status == RuleSetVersionStatus.Published)?.ToVersion());

    public Task<IReadOnlyList<RuleSetVersion>> HistoryAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RuleSetVersion>>(versions.Find(v => v.Key == key).Select(v => v.ToVersion()).OrderByDescending(v => v.Number).ToList());

    public Task<RuleSetVersion?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(versions.FindById(id)?.ToVersion());

    public Task<IReadOnlyList<RuleSetVersion>> PendingAsync(CountryScope scope, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RuleSetVersion>>(versions
            .Find(v => v.Status == RuleSetVersionStatus.Draft || v.Status == RuleSetVersionStatus.Submitted || v.Status == RuleSetVersionStatus.Returned)
            .Where(v => scope.Includes(v.Country)).Select(v => v.ToVersion()).OrderByDescending(v => v.Id).ToList());

    public Task<int> SeedAsync(IEnumerable<(string Key, string Country, string Topic, string Text)> files, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(() =>
        {
            var added = 0;
            foreach (var (key, country, topic, text) in files)
            {
                if (versions.Exists(v => v.Key == key)) continue;
                var version = RuleSetSteps.Seeded(key, country, topic, text, actor, Now);
                Insert(version, actor, RuleSetSteps.SeededChanges(version));
                added++;
            }
            return added;
        }));

    public Task<RuleSetVersion> AddDraftAsync(string key, string country, string topic, string text, int? basedOnId, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(() =>
        {
            var last = versions.Query().Where(v => v.Key == key).OrderByDescending(v => v.Number).Limit(1).FirstOrDefault();
            var draft = RuleSetSteps.Draft(key, country, topic, text, basedOnId, (last?.Number ?? 0) + 1, actor, Now);
            return Insert(draft, actor, RuleSetSteps.DraftChanges(basedOnId is { } b ? versions.FindById(b)?.ToVersion() : null));
        }));

    public Task<UpdateOutcome<RuleSetVersion>> SaveDraftAsync(int id, string text, int expectedRevision, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, RuleSetSteps.SaveDraft(text, expectedRevision, actor, Now)));

    public Task<UpdateOutcome<RuleSetVersion>> SubmitAsync(int id, string reason, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, RuleSetSteps.Submit(reason, actor, Now)));

    public Task<UpdateOutcome<RuleSetVersion>> DiscardAsync(int id, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, RuleSetSteps.Discard(actor, Now)));

    public Task<UpdateOutcome<RuleSetVersion>> ReturnAsync(int id, string comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, RuleSetSteps.Return(comment, actor, Now)));

    public Task<UpdateOutcome<RuleSetVersion>> PublishAsync(int id, string? comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, v =>
        {
            if (RuleSetSteps.Publish(v, comment, actor, Now) is not { } published) return null;
            foreach (var previous in versions.Find(p => p.Key == v.Key && p.Status == RuleSetVersionStatus.Published).ToList())
            {
                var superseded = RuleSetSteps.Superseded(previous.ToVersion());
                versions.Update(StoredVersion.From(superseded));
                audit.Write(RuleSetSteps.Entry(superseded, actor, AuditAction.Update, RuleSetSteps.SupersededChanges(v), Now));
            }
            return published;
        }));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private RuleSetVersion Insert(RuleSetVersion version, AuditActor actor, IReadOnlyList<AuditChange> changes)
    {
        var document = StoredVersion.From(version);
        versions.Insert(document);
        var stored = document.ToVersion();
        audit.Write(RuleSetSteps.Created(stored, actor, changes, Now));
        return stored;
    }

    /// <summary>Applies a step to the stored version; a null from <paramref name="step"/> means the version is not in a state that allows it.</summary>
    private UpdateOutcome<RuleSetVersion> Change(int id, AuditActor actor, Func<RuleSetVersion, RuleSetVersion?> step) => InTransaction(() =>
    {
        if (versions.FindById(id)?.ToVersion() is not { } stored) return UpdateOutcome<RuleSetVersion>.Missing;
        if (step(stored) is not { } changed) return UpdateOutcome<RuleSetVersion>.Conflict(stored);
        versions.Update(StoredVersion.From(changed));
        audit.Write(RuleSetSteps.Entry(changed, actor, AuditAction.Update, RuleSetSteps.Changes(stored, changed), Now));
        return UpdateOutcome<RuleSetVersion>.Saved(changed);
    });

    private T InTransaction<T>(Func<T> work) => database.InTransaction(edits, work);

    /// <summary>Every version, drafts and withdrawn ones included, in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<RuleSetVersion> All() => versions.Find(Query.All("_id")).Select(v => v.ToVersion());

    private sealed class StoredVersion
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Key { get; set; } = "";
        public string Country { get; set; } = "";
        public string Topic { get; set; } = "";
        public int Number { get; set; }
        public string Text { get; set; } = "";
        public RuleSetVersionStatus Status { get; set; }
        public int? BasedOnId { get; set; }
        public string CreatedBy { get; set; } = "";
        public DateTime CreatedAtUtc { get; set; }
        public string? UpdatedBy { get; set; }
        public DateTime? UpdatedAtUtc { get; set; }
        public string? Reason { get; set; }
        public string? SubmittedBy { get; set; }
        public DateTime? SubmittedAtUtc { get; set; }
        public string? ReviewedBy { get; set; }
        public DateTime? ReviewedAtUtc { get; set; }
        public string? ReviewComment { get; set; }
        public DateTime? PublishedAtUtc { get; set; }
        public int Revision { get; set; }
        public List<string>? Authors { get; set; }

        public static StoredVersion From(RuleSetVersion v) => new()
        {
            Id = v.Id, Key = v.Key, Country = v.Country, Topic = v.Topic, Number = v.Number, Text = v.Text, Status = v.Status, BasedOnId = v.BasedOnId,
            CreatedBy = v.CreatedBy, CreatedAtUtc = v.CreatedAtUtc, UpdatedBy = v.UpdatedBy, UpdatedAtUtc = v.UpdatedAtUtc, Reason = v.Reason,
            SubmittedBy = v.SubmittedBy, SubmittedAtUtc = v.SubmittedAtUtc, ReviewedBy = v.ReviewedBy, ReviewedAtUtc = v.ReviewedAtUtc,
            ReviewComment = v.ReviewComment, PublishedAtUtc = v.PublishedAtUtc, Revision = v.Revision, Authors = [.. v.Authors],
        };

        private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc);
        private static DateTime? Utc(DateTime? t) => t is { } value ? Utc(value) : null;

        public RuleSetVersion ToVersion() => new()
        {
            Id = Id, Key = Key, Country = Country, Topic = Topic, Number = Number, Text = Text, Status = Status, BasedOnId = BasedOnId,
            CreatedBy = CreatedBy, CreatedAtUtc = Utc(CreatedAtUtc), UpdatedBy = UpdatedBy, UpdatedAtUtc = Utc(UpdatedAtUtc), Reason = Reason,
            SubmittedBy = SubmittedBy, SubmittedAtUtc = Utc(SubmittedAtUtc), ReviewedBy = ReviewedBy, ReviewedAtUtc = Utc(ReviewedAtUtc),
            ReviewComment = ReviewComment, PublishedAtUtc = Utc(PublishedAtUtc), Revision = Revision, Authors = Authors ?? [],
        };
    }
}
