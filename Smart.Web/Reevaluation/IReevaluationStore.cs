using Smart.Web.Storage;

namespace Smart.Web.Reevaluation;

/// <summary>The bulk re-evaluation runs: their intent and progress, kept so a restart resumes them.</summary>
public interface IReevaluationStore
{
    /// <summary>Stores a new run (its id is assigned) and returns it.</summary>
    Task<ReevaluationRun> AddAsync(ReevaluationRun run, CancellationToken cancellationToken = default);

    Task<ReevaluationRun?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the run's progress (counters, cursors, status); a cancellation already asked for is kept.</summary>
    Task SaveAsync(ReevaluationRun run, CancellationToken cancellationToken = default);

    /// <summary>Runs newest first; a scope that is not all countries sees only the runs of its countries (never the all-country runs).</summary>
    Task<SearchResult<ReevaluationRun>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Records who asked to cancel a run, touching nothing else: its job stops at its next check.</summary>
    Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReevaluationRun>> UnfinishedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the run for one execution: null when another execution, on any instance, holds it. Disposing the claim releases it; so does the
    /// death of the process holding it, so a run whose instance was killed can be claimed again at once.
    /// </summary>
    Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Runs still running that no execution holds: left by an instance that died or stopped, to be queued again.</summary>
    Task<IReadOnlyList<ReevaluationRun>> OrphanedAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves <paramref name="advance"/>'s run (its cancellation kept) if the stored run is still where it started from; false when not.</summary>
    Task<bool> TryAdvanceAsync(RunAdvance advance, CancellationToken cancellationToken = default);
}
