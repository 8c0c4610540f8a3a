using System.Globalization;
using LiteDB;

namespace Smart.Web.Storage;

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
                var now = Now;
                var version = new RuleSetVersion
                {
                    Key = key, Country = country, Topic = topic, Number = 1, Text = text, Status = RuleSetVersionStatus.Published,
                    CreatedBy = actor.Name, CreatedAtUtc = now, Reason = "shipped rule file", ReviewedBy = actor.Name, ReviewedAtUtc = now,
                    PublishedAtUtc = now, Revision = 1, Authors = [actor.Name],
                };
                Insert(version, actor, [new("status", null, "published"), new("reason", null, version.Reason)]);
                added++;
            }
            return added;
        }));

    public Task<RuleSetVersion> AddDraftAsync(string key, string country, string topic, string text, int? basedOnId, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(InTransaction(() =>
        {
            var last = versions.Query().Where(v => v.Key == key).OrderByDescending(v => v.Number).Limit(1).FirstOrDefault();
            var draft = new RuleSetVersion
            {
                Key = key, Country = country, Topic = topic, Number = (last?.Number ?? 0) + 1, Text = text, Status = RuleSetVersionStatus.Draft,
                BasedOnId = basedOnId, CreatedBy = actor.Name, CreatedAtUtc = Now, Revision = 1, Authors = [actor.Name],
            };
            return Insert(draft, actor, [new("status", null, "draft"),
                new("basedOn", null, basedOnId is { } b && versions.FindById(b) is { } based ? $"version {based.Number}" : null)]);
        }));

    public Task<UpdateOutcome<RuleSetVersion>> SaveDraftAsync(int id, string text, int expectedRevision, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, v => v.IsEditable && v.Revision == expectedRevision
            ? v with { Text = text, UpdatedBy = actor.Name, UpdatedAtUtc = Now, Revision = v.Revision + 1, Authors = WithAuthor(v, actor) }
            : null));

    public Task<UpdateOutcome<RuleSetVersion>> SubmitAsync(int id, string reason, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, v => v.IsEditable
            ? v with
            {
                Status = RuleSetVersionStatus.Submitted, Reason = reason, SubmittedBy = actor.Name, SubmittedAtUtc = Now, Revision = v.Revision + 1,
                Authors = WithAuthor(v, actor),
            }
            : null));

    public Task<UpdateOutcome<RuleSetVersion>> ReturnAsync(int id, string comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, v => v.Status == RuleSetVersionStatus.Submitted
            ? v with { Status = RuleSetVersionStatus.Returned, ReviewComment = comment, ReviewedBy = actor.Name, ReviewedAtUtc = Now, Revision = v.Revision + 1 }
            : null));

    public Task<UpdateOutcome<RuleSetVersion>> PublishAsync(int id, string? comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(id, actor, v =>
        {
            if (v.Status != RuleSetVersionStatus.Submitted) return null;
            foreach (var previous in versions.Find(p => p.Key == v.Key && p.Status == RuleSetVersionStatus.Published).ToList())
            {
                var superseded = previous.ToVersion() with { Status = RuleSetVersionStatus.Superseded, Revision = previous.Revision + 1 };
                versions.Update(StoredVersion.From(superseded));
                Audit(superseded, actor, AuditAction.Update, [new("status", "published", "superseded"), new("supersededBy", null, $"version {v.Number}")]);
            }
            var now = Now;
            return v with { Status = RuleSetVersionStatus.Published, ReviewComment = comment, ReviewedBy = actor.Name, ReviewedAtUtc = now, PublishedAtUtc = now, Revision = v.Revision + 1 };
        }));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static IReadOnlyList<string> WithAuthor(RuleSetVersion version, AuditActor actor) =>
        version.Authors.Contains(actor.Name, StringComparer.OrdinalIgnoreCase) ? version.Authors : [.. version.Authors, actor.Name];

    private RuleSetVersion Insert(RuleSetVersion version, AuditActor actor, IReadOnlyList<AuditChange> changes)
    {
        var document = StoredVersion.From(version);
        versions.Insert(document);
        var stored = document.ToVersion();
        Audit(stored, actor, AuditAction.Create, [new("version", null, stored.Number.ToString(CultureInfo.InvariantCulture)), .. changes.Where(c => c.After is not null)]);
        return stored;
    }

    /// <summary>Applies a step to the stored version; a null from <paramref name="step"/> means the version is not in a state that allows it.</summary>
    private UpdateOutcome<RuleSetVersion> Change(int id, AuditActor actor, Func<RuleSetVersion, RuleSetVersion?> step) => InTransaction(() =>
    {
        if (versions.FindById(id)?.ToVersion() is not { } stored) return UpdateOutcome<RuleSetVersion>.Missing;
        if (step(stored) is not { } changed) return UpdateOutcome<RuleSetVersion>.Conflict(stored);
        versions.Update(StoredVersion.From(changed));
        Audit(changed, actor, AuditAction.Update, Changes(stored, changed));
        return UpdateOutcome<RuleSetVersion>.Saved(changed);
    });

    private static List<AuditChange> Changes(RuleSetVersion before, RuleSetVersion after)
    {
        var changes = new List<AuditChange>();
        void Field(string name, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal)) changes.Add(new(name, from, to));
        }
        Field("status", Name(before.Status), Name(after.Status));
        // The text itself is in the version; the audit says that it changed and how big it is, the diff page shows how.
        if (!string.Equals(before.Text, after.Text, StringComparison.Ordinal))
            changes.Add(new("text", $"{before.Text.Length} characters", $"{after.Text.Length} characters"));
        Field("reason", before.Reason, after.Reason);
        Field("reviewComment", before.ReviewComment, after.ReviewComment);
        return changes;
    }

    private static string Name(RuleSetVersionStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Filed under the rule set's key, so its history reads as one list; each entry says which version it concerns.</summary>
    private void Audit(RuleSetVersion version, AuditActor actor, AuditAction action, IReadOnlyList<AuditChange> changes)
    {
        var number = version.Number.ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<AuditChange> entry = changes.Any(c => c.Field == "version") ? changes : [new("version", number, number), .. changes];
        audit.Write(new(0, Now, actor.Name, AuditedEntity.RuleSet, version.Key, version.Country, action, entry));
    }

    private T InTransaction<T>(Func<T> work) => database.InTransaction(edits, work);

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
