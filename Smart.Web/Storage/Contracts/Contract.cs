using Smart.Rules.Evaluation;

namespace Smart.Web.Storage.Contracts;

public enum ContractStatus
{
    Draft,
    Confirmed,
    Cancelled,
}

/// <summary>
/// An employment contract a production unit pays from its budget, with the evaluation of the employment rule set it
/// was saved with. Id and Version are set by the store.
/// </summary>
public sealed record Contract
{
    public int Id { get; init; }
    /// <summary>The production unit's country: its employment rule set applies.</summary>
    public required string Country { get; init; }
    public int ProductionUnitId { get; init; }
    /// <summary>The member who runs the production unit and works under the contract.</summary>
    public int MemberId { get; init; }
    public DateOnly StartDate { get; init; }
    public DateOnly? EndDate { get; init; }
    public int Days { get; init; }
    public decimal Hours { get; init; }
    /// <summary>One of <see cref="JobCategories.All"/>: employee | artist | manual-worker.</summary>
    public required string JobCategory { get; init; }
    /// <summary>What the production unit puts into the contract, in the country's currency.</summary>
    public decimal Budget { get; init; }
    public ContractStatus Status { get; init; } = ContractStatus.Draft;
    /// <summary>The day its salary was paid (by staff or by the 7-day guarantee job); a paid contract is closed and no longer changes.</summary>
    public DateOnly? SalaryPaidOn { get; init; }
    /// <summary>The invoice of the same 3-in-1 job, whose net pays this contract; null for a contract made on its own.</summary>
    public int? JobInvoiceId { get; init; }
    private ContractEvaluation? evaluation;

    /// <summary>
    /// The split, the rule sets and versions used and the trace, as computed on the last save. Read-only so the audit log
    /// records the inputs that decide it, not a dump of the whole evaluation.
    /// </summary>
    public ContractEvaluation? Evaluation => evaluation;
    public int Version { get; init; }

    /// <summary>Draft and confirmed contracts hold their budget; a cancelled one gives it back to the unit.</summary>
    public Contract WithEvaluation(ContractEvaluation? value)
    {
        var copy = this with { };
        copy.evaluation = value;
        return copy;
    }

    public bool HoldsBudget => Status != ContractStatus.Cancelled;

    /// <summary>A budget within <paramref name="available"/>, or a cancelled contract, which holds none.</summary>
    public bool FitsBudget(decimal available) => !HoldsBudget || Budget <= available;

    /// <summary>The last day of work: the end date, else the start date plus its days.</summary>
    public DateOnly LastWorkDay => EndDate ?? StartDate.AddDays(Math.Max(Days, 1) - 1);

    /// <summary>Confirmed and not paid yet: a draft is not worked, a cancelled one is not paid, a paid one is closed.</summary>
    public bool CanPaySalary => Status == ContractStatus.Confirmed && SalaryPaidOn is null;

    /// <summary>The salary guarantee's rule: payable, and its work ended before <paramref name="today"/>.</summary>
    public bool IsSalaryDueOn(DateOnly today) => CanPaySalary && LastWorkDay < today;

    public Contract PaySalary(DateOnly paidOn) => this with { SalaryPaidOn = paidOn };

    /// <summary>
    /// Whether a re-evaluation may store a new evaluation on it: one of <paramref name="statuses"/>, still at <paramref name="expectedVersion"/>,
    /// and its salary not paid (a paid contract's evaluation is what its unit spent). The one definition: the stores' queries for a run's
    /// next batch (<see cref="IContractStore.AfterAsync"/>) and its count select the contracts it holds for (status in the list, salary paid
    /// date null), and each store's write checks it again inside its transaction.
    /// </summary>
    public bool CanBeReevaluated(IReadOnlyCollection<ContractStatus> statuses, int expectedVersion) =>
        statuses.Contains(Status) && Version == expectedVersion && SalaryPaidOn is null;
}
