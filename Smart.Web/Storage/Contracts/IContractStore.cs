using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.Contracts;

public enum ContractSort
{
    StartDate,
    Country,
    Status,
    Budget,
}

/// <summary>A contract search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record ContractQuery(CountryScope Scope)
{
    public string? Country { get; init; }
    public ContractStatus? Status { get; init; }
    public int? ProductionUnitId { get; init; }
    /// <summary>True: only contracts whose salary is paid; false: only those not paid yet; null: both.</summary>
    public bool? SalaryPaid { get; init; }
    /// <summary>Contracts starting on or after this day.</summary>
    public DateOnly? StartFrom { get; init; }
    /// <summary>Contracts starting on or before this day.</summary>
    public DateOnly? StartTo { get; init; }
    public ContractSort Sort { get; init; } = ContractSort.StartDate;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>The employment contracts; scoped and audited as <see cref="IMemberStore"/> is.</summary>
public interface IContractStore
{
    Task<SearchResult<Contract>> SearchAsync(ContractQuery query, CancellationToken cancellationToken = default);
    IAsyncEnumerable<Contract> ExportAsync(ContractQuery query, CancellationToken cancellationToken = default);
    Task<Contract?> GetAsync(int id, CancellationToken cancellationToken = default);
    /// <summary>
    /// The budgets a production unit's draft contracts set aside, leaving out <paramref name="exceptContractId"/> (the one being edited); confirmed
    /// contracts hold theirs in the unit's ledger.
    /// </summary>
    Task<decimal> HeldBudgetAsync(int productionUnitId, int? exceptContractId, CancellationToken cancellationToken = default);
    /// <summary>Marks a confirmed contract's salary paid on <paramref name="paidOn"/>; its ledger entries are written in the same transaction. Anything else is a conflict.</summary>
    Task<UpdateOutcome<Contract>> PaySalaryAsync(int id, DateOnly paidOn, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Confirmed contracts whose salary is not paid and whose work ended before <paramref name="today"/>, with an id above <paramref name="afterId"/>, lowest id first.</summary>
    Task<IReadOnlyList<Contract>> SalaryDueAsync(DateOnly today, int afterId, int take, CancellationToken cancellationToken = default);

    Task<Contract> AddAsync(Contract contract, AuditActor actor, CancellationToken cancellationToken = default);
    Task<UpdateOutcome<Contract>> UpdateAsync(Contract contract, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Contracts a re-evaluation may change: of <paramref name="country"/> (every country when null), in one of <paramref name="statuses"/> and
    /// their salary not paid (<see cref="Contract.CanBeReevaluated"/>: the query must select what it accepts), with an id above
    /// <paramref name="afterId"/>, lowest id first. A paid contract is not read at all. The evaluations may come without their traces (the
    /// LiteDB store leaves them out): a run compares figures and writes the trace of what changed.
    /// </summary>
    Task<IReadOnlyList<Contract>> AfterAsync(string? country, IReadOnlyCollection<ContractStatus> statuses, int afterId, int take, CancellationToken cancellationToken = default);

    /// <summary>Contracts of <paramref name="country"/> starting from <paramref name="from"/> to <paramref name="to"/> included, any status, with an id above <paramref name="afterId"/>, lowest id first.</summary>
    Task<IReadOnlyList<Contract>> StartingAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores each new evaluation on its contract if it is still in one of <paramref name="statuses"/> at the expected version, all in one
    /// transaction, each audited with its changes (the evaluation itself is not an audited field). Returns, in order, whether each was written.
    /// With <paramref name="advance"/>, the re-evaluation run's progress is written in the same transaction, or nothing is (<see cref="RunMovedOnException"/>).
    /// </summary>
    Task<IReadOnlyList<bool>> ReplaceEvaluationsAsync(IReadOnlyList<EvaluationReplacement<Smart.Rules.Evaluation.ContractEvaluation>> replacements,
        IReadOnlyCollection<ContractStatus> statuses, AuditActor actor, RunAdvance? advance = null, CancellationToken cancellationToken = default);
}
