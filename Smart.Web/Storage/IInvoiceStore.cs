namespace Smart.Web.Storage;

public enum InvoiceSort
{
    Date,
    Number,
    Country,
    Total,
}

/// <summary>An invoice search: only rows of <see cref="Scope"/>'s countries, matching every filter given, one page of them.</summary>
public sealed record InvoiceQuery(CountryScope Scope)
{
    public string? Country { get; init; }
    public InvoiceStatus? Status { get; init; }
    /// <summary>Invoice dates from this day on.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Invoice dates up to this day included.</summary>
    public DateOnly? To { get; init; }
    public int? ProductionUnitId { get; init; }
    public int? ClientId { get; init; }
    public InvoiceSort Sort { get; init; } = InvoiceSort.Date;
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 50;
}

/// <summary>
/// The invoices; scoped and audited as <see cref="IMemberStore"/> is. Only a draft can be updated; issuing numbers it
/// from a gap-free sequence per country and year.
/// </summary>
public interface IInvoiceStore
{
    Task<SearchResult<Invoice>> SearchAsync(InvoiceQuery query, CancellationToken cancellationToken = default);
    IAsyncEnumerable<Invoice> ExportAsync(InvoiceQuery query, CancellationToken cancellationToken = default);
    Task<Invoice?> GetAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new draft (its status and number are ignored) and returns it with its id and version 1.</summary>
    Task<Invoice> AddDraftAsync(Invoice invoice, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Replaces a draft if its stored version is still <paramref name="expectedVersion"/>; an issued invoice is a conflict, never changed.</summary>
    Task<UpdateOutcome<Invoice>> UpdateDraftAsync(Invoice invoice, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues a draft still at <paramref name="expectedVersion"/>: takes the next number of its country and year and stores
    /// <paramref name="evaluation"/> as its final one, all in one transaction. Anything else (already issued, newer version) is a conflict.
    /// </summary>
    Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, Smart.Rules.Evaluation.InvoiceEvaluation evaluation, AuditActor actor, CancellationToken cancellationToken = default);
}
