using Smart.Rules.Evaluation;

namespace Smart.Web.Storage;

/// <summary>Where an invoice stands; payments, overdue and credit notes add statuses later.</summary>
public enum InvoiceStatus
{
    Draft,
    /// <summary>Numbered and frozen: its lines and evaluation no longer change.</summary>
    Issued,
}

/// <summary>One line as the user typed it; what the rules make of it is in the invoice's evaluation.</summary>
public sealed record InvoiceLineItem(string Description, string Category, decimal Quantity, decimal UnitPrice);

/// <summary>An invoice of a production unit to a client, issued by one of the country's issuing entities. Id and Version are set by the store.</summary>
public sealed record Invoice
{
    public int Id { get; init; }
    /// <summary>The production unit's country: its rule sets, currency and number sequence apply.</summary>
    public required string Country { get; init; }
    public int ProductionUnitId { get; init; }
    public int ClientId { get; init; }
    /// <summary>An issuing entity of the country's plugin manifest (Belgium: smartcoop or formateurs-associes).</summary>
    public required string Issuer { get; init; }
    public DateOnly Date { get; init; }
    public DateOnly? DueDate { get; init; }
    public string ServiceLevel { get; init; } = "standard";
    public IReadOnlyList<InvoiceLineItem> Lines { get; init; } = [];
    public InvoiceStatus Status { get; init; } = InvoiceStatus.Draft;
    /// <summary><c>BE-2026-000001</c>; null while a draft, given once when the invoice is issued.</summary>
    public string? Number { get; init; }
    /// <summary>What the rules made of the invoice at its last save (or at issue, then frozen), with rule-set versions and trace.</summary>
    public InvoiceEvaluation? Evaluation { get; init; }
    public int Version { get; init; }
}
