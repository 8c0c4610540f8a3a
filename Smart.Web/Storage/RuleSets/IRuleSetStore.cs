using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.RuleSets;

/// <summary>
/// Every version of every rule set, with the workflow that publishes them. The store keeps the states consistent (one
/// published version per rule set, published ones never edited) and audits each step; who may take a step is the handlers' decision.
/// </summary>
public interface IRuleSetStore
{
    /// <summary>The published version of each rule set: what the rule book is built from.</summary>
    Task<IReadOnlyList<RuleSetVersion>> InForceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The version of each rule set that was in force at <paramref name="instantUtc"/>: the last one published at or before it (superseded
    /// since or not). What the rule book "as known on" that instant is built from; a rule set first published later is not in it.
    /// </summary>
    Task<IReadOnlyList<RuleSetVersion>> KnownOnAsync(DateTime instantUtc, CancellationToken cancellationToken = default);

    /// <summary>The published version of one rule set, if the store has it.</summary>
    Task<RuleSetVersion?> InForceAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every version of one rule set, newest first.</summary>
    Task<IReadOnlyList<RuleSetVersion>> HistoryAsync(string key, CancellationToken cancellationToken = default);

    Task<RuleSetVersion?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Versions not yet published (drafts, submitted, returned) of the scope's countries, newest first.</summary>
    Task<IReadOnlyList<RuleSetVersion>> PendingAsync(CountryScope scope, CancellationToken cancellationToken = default);

    /// <summary>Stores rule sets the store does not have yet as published version 1 (the shipped <c>rules/</c> files); returns how many were added.</summary>
    Task<int> SeedAsync(IEnumerable<(string Key, string Country, string Topic, string Text)> files, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>A new draft of <paramref name="key"/> holding <paramref name="text"/>, numbered after the rule set's last version.</summary>
    Task<RuleSetVersion> AddDraftAsync(string key, string country, string topic, string text, int? basedOnId, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a draft's text if it is still editable and at <paramref name="expectedRevision"/>.</summary>
    Task<UpdateOutcome<RuleSetVersion>> SaveDraftAsync(int id, string text, int expectedRevision, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Draft or returned → submitted, with the reason.</summary>
    Task<UpdateOutcome<RuleSetVersion>> SubmitAsync(int id, string reason, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Draft or returned → discarded: out of the lists, its number not reused.</summary>
    Task<UpdateOutcome<RuleSetVersion>> DiscardAsync(int id, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Submitted → returned, with the approver's comment.</summary>
    Task<UpdateOutcome<RuleSetVersion>> ReturnAsync(int id, string comment, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Submitted → published; the version in force before it becomes superseded, in the same transaction.</summary>
    Task<UpdateOutcome<RuleSetVersion>> PublishAsync(int id, string? comment, AuditActor actor, CancellationToken cancellationToken = default);
}
