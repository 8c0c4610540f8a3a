using System.Globalization;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.RuleSets;

/// <summary>
/// The rule-set workflow's steps and their audit, shared by the stores: each store only reads the stored version, applies a step inside
/// its transaction and writes what it returns. A step returns null when the version is not in a state that allows it.
/// </summary>
internal static class RuleSetSteps
{
    public static RuleSetVersion Seeded(string key, string country, string topic, string text, AuditActor actor, DateTime now) => new()
    {
        Key = key, Country = country, Topic = topic, Number = 1, Text = text, Status = RuleSetVersionStatus.Published,
        CreatedBy = actor.Name, CreatedAtUtc = now, Reason = "shipped rule file", ReviewedBy = actor.Name, ReviewedAtUtc = now,
        PublishedAtUtc = now, Revision = 1, Authors = [actor.Name],
    };

    public static IReadOnlyList<AuditChange> SeededChanges(RuleSetVersion version) => [new("status", null, "published"), new("reason", null, version.Reason)];

    public static RuleSetVersion Draft(string key, string country, string topic, string text, int? basedOnId, int number, AuditActor actor, DateTime now) => new()
    {
        Key = key, Country = country, Topic = topic, Number = number, Text = text, Status = RuleSetVersionStatus.Draft,
        BasedOnId = basedOnId, CreatedBy = actor.Name, CreatedAtUtc = now, Revision = 1, Authors = [actor.Name],
    };

    public static IReadOnlyList<AuditChange> DraftChanges(RuleSetVersion? basedOn) =>
        [new("status", null, "draft"), new("basedOn", null, basedOn is { } based ? $"version {based.Number}" : null)];

    public static Func<RuleSetVersion, RuleSetVersion?> SaveDraft(string text, int expectedRevision, AuditActor actor, DateTime now) =>
        v => v.IsEditable && v.Revision == expectedRevision
            ? v with { Text = text, UpdatedBy = actor.Name, UpdatedAtUtc = now, Revision = v.Revision + 1, Authors = WithAuthor(v, actor) }
            : null;

    public static Func<RuleSetVersion, RuleSetVersion?> Submit(string reason, AuditActor actor, DateTime now) =>
        v => v.IsEditable
            ? v with
            {
                Status = RuleSetVersionStatus.Submitted,
                Reason = reason,
                SubmittedBy = actor.Name,
                SubmittedAtUtc = now,
                Revision = v.Revision + 1,
                Authors = WithAuthor(v, actor),
            }
            : null;

    public static Func<RuleSetVersion, RuleSetVersion?> Discard(AuditActor actor, DateTime now) =>
        v => v.IsEditable ? v with { Status = RuleSetVersionStatus.Discarded, UpdatedBy = actor.Name, UpdatedAtUtc = now, Revision = v.Revision + 1 } : null;

    public static Func<RuleSetVersion, RuleSetVersion?> Return(string comment, AuditActor actor, DateTime now) =>
        v => v.Status == RuleSetVersionStatus.Submitted
            ? v with { Status = RuleSetVersionStatus.Returned, ReviewComment = comment, ReviewedBy = actor.Name, ReviewedAtUtc = now, Revision = v.Revision + 1 }
            : null;

    /// <summary>The version published; the store supersedes the one in force (<see cref="Superseded"/>) in the same transaction.</summary>
    public static RuleSetVersion? Publish(RuleSetVersion v, string? comment, AuditActor actor, DateTime now) =>
        v.Status == RuleSetVersionStatus.Submitted
            ? v with { Status = RuleSetVersionStatus.Published, ReviewComment = comment, ReviewedBy = actor.Name, ReviewedAtUtc = now, PublishedAtUtc = now, Revision = v.Revision + 1 }
            : null;

    public static RuleSetVersion Superseded(RuleSetVersion previous) => previous with { Status = RuleSetVersionStatus.Superseded, Revision = previous.Revision + 1 };

    public static IReadOnlyList<AuditChange> SupersededChanges(RuleSetVersion by) => [new("status", "published", "superseded"), new("supersededBy", null, $"version {by.Number}")];

    private static IReadOnlyList<string> WithAuthor(RuleSetVersion version, AuditActor actor) =>
        version.Authors.Contains(actor.Name, StringComparer.OrdinalIgnoreCase) ? version.Authors : [.. version.Authors, actor.Name];

    /// <summary>What a step changed, as the audit shows it.</summary>
    public static List<AuditChange> Changes(RuleSetVersion before, RuleSetVersion after)
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

    /// <summary>The entry of a created version (its number first) from the changes its step gave.</summary>
    public static AuditEntry Created(RuleSetVersion stored, AuditActor actor, IReadOnlyList<AuditChange> changes, DateTime now) =>
        Entry(stored, actor, AuditAction.Create, [new("version", null, stored.Number.ToString(CultureInfo.InvariantCulture)), .. changes.Where(c => c.After is not null)], now);

    /// <summary>Filed under the rule set's key, so its history reads as one list; each entry says which version it concerns.</summary>
    public static AuditEntry Entry(RuleSetVersion version, AuditActor actor, AuditAction action, IReadOnlyList<AuditChange> changes, DateTime now)
    {
        var number = version.Number.ToString(CultureInfo.InvariantCulture);
        IReadOnlyList<AuditChange> entry = changes.Any(c => c.Field == "version") ? changes : [new("version", number, number), .. changes];
        return new(0, now, actor.Name, AuditedEntity.RuleSet, version.Key, version.Country, action, entry);
    }
}
