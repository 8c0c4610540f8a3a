namespace Smart.Web.Reevaluation;

/// <summary>
/// A re-evaluation batch's progress, written in the transaction that writes the batch's documents: either both are stored or neither.
/// It is stored only if the run is still running at the cursors the batch started from; if another execution of the run has moved it on
/// (or ended it) meanwhile, the whole batch rolls back with <see cref="RunMovedOnException"/>. So a batch is written once, by one execution,
/// and the run's counters count each document once, whatever instance dies or takes over.
/// </summary>
/// <param name="After">The run as it stands after the batch, from which of the batch's replacements were written.</param>
public sealed record RunAdvance(int RunId, int FromInvoiceCursor, int FromContractCursor, Func<IReadOnlyList<bool>, ReevaluationRun> After)
{
    /// <summary>True when the stored run is the one this batch started from: still running, at the same cursors.</summary>
    public bool StartsFrom(ReevaluationRun? stored) => stored is { Status: ReevaluationStatus.Running } run
        && run.InvoiceCursor == FromInvoiceCursor && run.ContractCursor == FromContractCursor;
}

/// <summary>Another execution of the run moved it on (or ended it) while this one worked on a batch: nothing of the batch was written.</summary>
public sealed class RunMovedOnException(int runId)
    : InvalidOperationException($"Re-evaluation run {runId} was moved on by another execution; this batch was not written.");
