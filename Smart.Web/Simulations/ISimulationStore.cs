using Smart.Web.Storage;

namespace Smart.Web.Simulations;

/// <summary>Impact simulations: their intent and progress (kept so a restart resumes them) and the documents each found affected.</summary>
public interface ISimulationStore
{
    /// <summary>Stores a new simulation (its id is assigned) and returns it.</summary>
    Task<ImpactSimulation> AddAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default);

    Task<ImpactSimulation?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Replaces the simulation's progress (status, counters, cursors, totals); a cancellation already asked for is kept.</summary>
    Task SaveAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default);

    /// <summary>Adds a batch's affected documents and saves the progress after that batch, in one transaction: a resumed run never adds a row twice.</summary>
    Task SaveBatchAsync(ImpactSimulation simulation, IReadOnlyList<SimulatedDocument> affected, CancellationToken cancellationToken = default);

    /// <summary>A simulation's affected documents in the order it found them (invoices, then contracts, each by id), one page of them.</summary>
    Task<SearchResult<SimulatedDocument>> AffectedAsync(int simulationId, int skip, int take, CancellationToken cancellationToken = default);

    Task<SimulatedDocument?> AffectedAsync(int simulationId, string kind, int documentId, CancellationToken cancellationToken = default);

    /// <summary>A rule-set version's simulations, newest first.</summary>
    Task<IReadOnlyList<ImpactSimulation>> OfVersionAsync(int versionId, CancellationToken cancellationToken = default);

    /// <summary>Records who asked to cancel a simulation, touching nothing else: its job stops at its next check.</summary>
    Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default);

    /// <summary>Simulations queued or running: start-up queues them again.</summary>
    Task<IReadOnlyList<ImpactSimulation>> UnfinishedAsync(CancellationToken cancellationToken = default);
}
