using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;

namespace Smart.Web.Storage.ExpenseClaims;

public enum ExpenseClaimSort
{
    Date,
    Country,
    Status,
    Amount,
}

/// <summary>An expense claim search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record ExpenseClaimQuery(CountryScope Scope)
{
    public string? Country { get; init; }
    public ExpenseClaimStatus? Status { get; init; }
    public int? ProductionUnitId { get; init; }
    public string? Category { get; init; }
    /// <summary>Claims for expenses made on or after this day.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Claims for expenses made on or before this day.</summary>
    public DateOnly? To { get; init; }
    public ExpenseClaimSort Sort { get; init; } = ExpenseClaimSort.Date;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>The expense claims and their receipts; scoped and audited as <see cref="IContractStore"/> is.</summary>
public interface IExpenseClaimStore
{
    Task<SearchResult<ExpenseClaim>> SearchAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default);
    IAsyncEnumerable<ExpenseClaim> ExportAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default);
    Task<ExpenseClaim?> GetAsync(int id, CancellationToken cancellationToken = default);
    /// <summary>Stores a new claim and its receipt (when it has one) in one transaction.</summary>
    Task<ExpenseClaim> AddAsync(ExpenseClaim claim, ExpenseReceipt? receipt, AuditActor actor, CancellationToken cancellationToken = default);
    Task<ExpenseReceipt?> ReceiptAsync(int claimId, CancellationToken cancellationToken = default);
    /// <summary>What the unit's approved claims charge it, leaving out <paramref name="exceptClaimId"/>.</summary>
    Task<decimal> ApprovedChargesAsync(int productionUnitId, int? exceptClaimId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Approves or refuses a submitted claim still at <paramref name="expectedVersion"/>; a conflict when it was decided or changed since.
    /// </summary>
    Task<UpdateOutcome<ExpenseClaim>> DecideAsync(int id, int expectedVersion, ExpenseClaimStatus decision, string? reason, AuditActor actor,
        CancellationToken cancellationToken = default);
}
