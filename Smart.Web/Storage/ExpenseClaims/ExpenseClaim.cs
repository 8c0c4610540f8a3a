using Smart.Rules.Evaluation;

namespace Smart.Web.Storage.ExpenseClaims;

public enum ExpenseClaimStatus
{
    Submitted,
    Approved,
    Refused,
}

/// <summary>
/// A member's professional expense on a production unit (a note de frais), with the evaluation of the country's expenses rule set it
/// was submitted with. Submitted, then approved or refused (with a reason) once; neither decision is undone. Id and Version are set by the store.
/// </summary>
public sealed record ExpenseClaim
{
    public int Id { get; init; }
    /// <summary>The production unit's country: its expenses rule set applies.</summary>
    public required string Country { get; init; }
    public int ProductionUnitId { get; init; }
    /// <summary>The member who runs the unit and made the expense.</summary>
    public int MemberId { get; init; }
    /// <summary>The day the expense was made (the receipt's date, the trip's first day).</summary>
    public DateOnly Date { get; init; }
    public string Supplier { get; init; } = "";
    /// <summary>A code of the country's expenses rule set (categories).</summary>
    public required string Category { get; init; }
    /// <summary>What the receipt shows, VAT included; for a per diem, what the member asks (the ceiling when absent).</summary>
    public decimal? Amount { get; init; }
    public decimal? Vat { get; init; }
    public decimal? Kilometres { get; init; }
    public int? Days { get; init; }
    /// <summary>The receipt's name as uploaded and its type as its first bytes say; null when the claim has none (mileage, per diem).</summary>
    public string? ReceiptFileName { get; init; }
    public string? ReceiptContentType { get; init; }
    public ExpenseClaimStatus Status { get; init; } = ExpenseClaimStatus.Submitted;
    /// <summary>Why staff refused it; required to refuse.</summary>
    public string? RefusalReason { get; init; }
    public string? DecidedBy { get; init; }
    public DateTime? DecidedAt { get; init; }
    private ExpenseEvaluation? evaluation;

    /// <summary>The rule set's result on submission. Read-only so the audit log records the inputs, not the whole trace.</summary>
    public ExpenseEvaluation? Evaluation => evaluation;
    public int Version { get; init; }

    /// <summary>What the claim costs its production unit (reimbursed less the VAT the cooperative recovers): what the unit's ledger takes on approval.</summary>
    public decimal? ChargedToUnit => evaluation?.Charged;

    /// <summary>Still submitted and at <paramref name="expectedVersion"/>: a decision is taken once, on the claim staff saw.</summary>
    public bool CanBeDecided(int expectedVersion) => Status == ExpenseClaimStatus.Submitted && Version == expectedVersion;

    /// <summary>Approved or refused (a reason kept only on a refusal), by <paramref name="by"/> at <paramref name="at"/>; null when <paramref name="decision"/> decides nothing.</summary>
    public ExpenseClaim? Decide(ExpenseClaimStatus decision, string? reason, string by, DateTime at) => decision == ExpenseClaimStatus.Submitted ? null : this with
    {
        Status = decision,
        RefusalReason = decision == ExpenseClaimStatus.Refused ? reason : null,
        DecidedBy = by,
        DecidedAt = at,
    };

    /// <summary>Its approval: from submitted to approved, the moment its charge leaves the unit's budget.</summary>
    public static bool IsApproval(ExpenseClaim? before, ExpenseClaim after) =>
        before?.Status == ExpenseClaimStatus.Submitted && after.Status == ExpenseClaimStatus.Approved;

    /// <summary>What it charges its unit fits in <paramref name="available"/>: checked inside the approval's transaction.</summary>
    public bool FitsBudget(decimal available) => (ChargedToUnit ?? 0m) <= available;

    public ExpenseClaim WithEvaluation(ExpenseEvaluation? value)
    {
        var copy = this with { };
        copy.evaluation = value;
        return copy;
    }
}

/// <summary>A claim's receipt as stored beside it: never changed once the claim is submitted.</summary>
public sealed record ExpenseReceipt(int ClaimId, string FileName, string ContentType, byte[] Content);
