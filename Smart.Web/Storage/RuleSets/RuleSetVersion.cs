namespace Smart.Web.Storage.RuleSets;

/// <summary>Where a version of a rule set is in the four-eyes workflow.</summary>
public enum RuleSetVersionStatus
{
    /// <summary>Being edited by its author; only the author's role and country may change it.</summary>
    Draft,
    /// <summary>Checked and submitted with a reason; waits for an approver who is not its author.</summary>
    Submitted,
    /// <summary>Sent back by an approver with a comment; its author may edit and submit it again.</summary>
    Returned,
    /// <summary>Published: the newest published version of a rule set is the one in force (its own dates say from when).</summary>
    Published,
    /// <summary>A published version that a later publication replaced; kept for history and roll-back.</summary>
    Superseded,
    /// <summary>A draft its author or a compliance officer threw away: kept for the audit, gone from the lists, never edited again.</summary>
    Discarded,
}

/// <summary>
/// One version of one rule set (a file in the <c>rules/</c> format) with who made it, why, and who approved it.
/// <see cref="Key"/> names the rule set, e.g. <c>be/contribution.json</c>; <see cref="Number"/> counts its versions from 1.
/// </summary>
public sealed record RuleSetVersion
{
    public int Id { get; init; }
    public string Key { get; init; } = "";
    public string Country { get; init; } = "";
    public string Topic { get; init; } = "";
    public int Number { get; init; }
    public string Text { get; init; } = "";
    public RuleSetVersionStatus Status { get; init; }
    /// <summary>The version this one was edited from (null for a seeded or imported first version).</summary>
    public int? BasedOnId { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedAtUtc { get; init; }
    public string? UpdatedBy { get; init; }
    public DateTime? UpdatedAtUtc { get; init; }
    /// <summary>Why the change is made, given on submission.</summary>
    public string? Reason { get; init; }
    public string? SubmittedBy { get; init; }
    public DateTime? SubmittedAtUtc { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTime? ReviewedAtUtc { get; init; }
    /// <summary>The approver's comment when sending back (or publishing with a remark).</summary>
    public string? ReviewComment { get; init; }
    public DateTime? PublishedAtUtc { get; init; }
    /// <summary>Edits increase it; a save with an older revision is refused, so two editors cannot overwrite each other.</summary>
    public int Revision { get; init; }
    /// <summary>
    /// Everyone who created, edited or submitted any revision of it (e-mails, in order): its authors for the four-eyes rule, which the last
    /// editor and the submitter alone would miss (an approver who edited an earlier revision). Empty for versions stored before it was kept.
    /// </summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    public bool IsEditable => Status is RuleSetVersionStatus.Draft or RuleSetVersionStatus.Returned;
    public bool IsPublished => Status is RuleSetVersionStatus.Published or RuleSetVersionStatus.Superseded;
}
