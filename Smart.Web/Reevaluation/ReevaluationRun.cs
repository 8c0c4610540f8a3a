namespace Smart.Web.Reevaluation;

public enum ReevaluationStatus
{
    Running,
    Done,
    Failed,
    Cancelled,
}

/// <summary>
/// One bulk re-evaluation: why and by whom it was asked for, which country (null: all), how far it got. The cursors are the last
/// document id of each kind whose batch is finished, saved after every batch, so a restart continues after them instead of starting over.
/// </summary>
public sealed record ReevaluationRun
{
    public int Id { get; init; }
    public required string Reason { get; init; }
    /// <summary>The e-mail of the person who started it, or a system process (<c>system:rule-publication</c>).</summary>
    public required string StartedBy { get; init; }
    /// <summary>Upper-case country code; null for every country.</summary>
    public string? Country { get; init; }
    public DateTime StartedAtUtc { get; init; }
    public DateTime? FinishedAtUtc { get; init; }
    /// <summary>The documents to re-evaluate when the run was started; documents saved as drafts later are processed too, so Done may pass it.</summary>
    public int Total { get; init; }
    /// <summary>Documents evaluated, whatever the outcome.</summary>
    public int Done { get; init; }
    /// <summary>Documents whose stored evaluation differed and was replaced.</summary>
    public int Changed { get; init; }
    /// <summary>Documents the rules in force could not evaluate (a country or date no rule set covers any more, an input now refused).</summary>
    public int Failed { get; init; }
    /// <summary>
    /// Documents edited (or issued, or a contract paid) between the run's read and its write: left as their editor saved them. Documents a run
    /// may not change (issued invoices, cancelled or paid contracts) are not read, so not counted here nor anywhere.
    /// </summary>
    public int Skipped { get; init; }
    public int InvoiceCursor { get; init; }
    public int ContractCursor { get; init; }
    public ReevaluationStatus Status { get; init; } = ReevaluationStatus.Running;
    /// <summary>Why the run failed, or the first documents that could not be evaluated (id and reason), for the details page.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
    /// <summary>Documents whose evaluation threw or ran over the per-document budget (also counted in <see cref="Failed"/>).</summary>
    public int Faulted { get; init; }
    /// <summary>Why the run ended Failed: over its budget, documents that made the rules fail, or an error.</summary>
    public string? FailureReason { get; init; }
    /// <summary>Who asked to cancel it: set by the page, read by the job between documents; the store never lets a progress save clear it.</summary>
    public string? CancelledBy { get; init; }

    public bool IsFinished => Status != ReevaluationStatus.Running;

    public int Percent => Status == ReevaluationStatus.Done ? 100 : Total == 0 ? 0 : Math.Min(99, (int)(Done * 100L / Total));
}
