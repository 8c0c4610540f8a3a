using Smart.Web.Storage;

namespace Smart.Web.Corrections;

/// <summary>
/// Correction runs and what they made: statements keyed by (run, member, year) and corrective documents keyed by (run, invoice), each added once
/// whatever the job's restarts.
/// </summary>
public interface ICorrectionStore
{
    /// <summary>Stores a new run (its id is assigned) and returns it.</summary>
    Task<CorrectionRun> AddAsync(CorrectionRun run, CancellationToken cancellationToken = default);

    Task<CorrectionRun?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the run's progress.</summary>
    Task SaveAsync(CorrectionRun run, CancellationToken cancellationToken = default);

    /// <summary>Accepts or rejects a proposed run: false when it is no longer proposed (someone reviewed it meanwhile).</summary>
    Task<bool> TryReviewAsync(int id, bool accept, string reviewedBy, DateTime atUtc, string? note, CancellationToken cancellationToken = default);

    /// <summary>Runs of the scope's countries, newest first.</summary>
    Task<IReadOnlyList<CorrectionRun>> ListAsync(CountryScope scope, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepted runs not finished that no execution holds (<see cref="TryClaimAsync"/>): left by an app that stopped or an instance that
    /// died. Start-up, and every instance's scan after it, queue them again.
    /// </summary>
    Task<IReadOnlyList<CorrectionRun>> OrphanedAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the run for one execution: null when another execution holds it (in this process for LiteDB; on any instance for PostgreSQL,
    /// where every instance queues the orphaned runs). Disposing the claim releases it, and so does the holder's death.
    /// </summary>
    Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Adds the statement unless one of its run, member and year exists (checked in the same write); false when it existed.</summary>
    Task<bool> TryAddStatementAsync(RegularisationStatement statement, CancellationToken cancellationToken = default);

    Task<RegularisationStatement?> StatementAsync(int runId, int memberId, int year, CancellationToken cancellationToken = default);

    /// <summary>A run's statements by year and member.</summary>
    Task<IReadOnlyList<RegularisationStatement>> StatementsAsync(int runId, CancellationToken cancellationToken = default);

    /// <summary>Every run's statement of a member's year, newest run first.</summary>
    Task<IReadOnlyList<RegularisationStatement>> StatementsOfAsync(int memberId, int year, CancellationToken cancellationToken = default);

    Task<CorrectiveDocuments?> CorrectionAsync(int runId, int invoiceId, CancellationToken cancellationToken = default);

    /// <summary>Writes the invoice's corrective documents as they stand (key: run, invoice).</summary>
    Task SaveCorrectionAsync(CorrectiveDocuments correction, CancellationToken cancellationToken = default);

    /// <summary>A run's corrective documents by invoice id.</summary>
    Task<IReadOnlyList<CorrectiveDocuments>> CorrectionsAsync(int runId, CancellationToken cancellationToken = default);
}
