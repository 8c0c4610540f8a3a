using Smart.Rules.Plugins;

namespace Smart.Rules.EInvoicing;

public enum EInvoiceKind
{
    Invoice,
    CreditNote,
}

/// <summary>
/// What an e-invoice says, whatever its format: built from an issued invoice (or the render API's body) and its evaluation.
/// Amounts are as the document shows them: a credit note's are positive, its kind says it credits.
/// </summary>
public sealed record EInvoiceDocument
{
    public required EInvoiceKind Kind { get; init; }
    public required string Number { get; init; }
    public required DateOnly IssueDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public required string Currency { get; init; }
    public required EInvoiceParty Seller { get; init; }
    public required EInvoiceParty Buyer { get; init; }
    public required IReadOnlyList<EInvoiceLine> Lines { get; init; }
    /// <summary>One group per VAT category, rate and exemption: the VAT of each is rounded once (EN 16931).</summary>
    public required IReadOnlyList<EInvoiceVatGroup> VatGroups { get; init; }
    public required decimal Net { get; init; }
    public required decimal Vat { get; init; }
    public required decimal Gross { get; init; }
    /// <summary>The legal mentions the evaluation gave, printed on the invoice.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The reference the client pays with (Belgium: the structured communication), BT-83.</summary>
    public string? PaymentReference { get; init; }
    public string? Iban { get; init; }
    public string? Bic { get; init; }
    /// <summary>A credit note's original invoice (BG-3).</summary>
    public PrecedingInvoice? Preceding { get; init; }
    /// <summary>The client's own reference for the purchase, when it gave one (BT-10).</summary>
    public string? BuyerReference { get; init; }
    /// <summary>A stamp duty the evaluation says the document bears (Italy's bollo: FatturaPA's DatiBollo); null when none.</summary>
    public decimal? StampDuty { get; init; }
    /// <summary>The invoice as people read it (BT-125), e.g. its PDF.</summary>
    public EInvoiceAttachment? Visual { get; init; }
}

/// <summary>A party; <see cref="Endpoint"/> is where it receives e-invoices (Peppol), the Italian fields where the SdI delivers.</summary>
public sealed record EInvoiceParty
{
    public required string Name { get; init; }
    public string? LegalForm { get; init; }
    public string? VatNumber { get; init; }
    public string? CompanyNumber { get; init; }
    public required PostalAddress Address { get; init; }
    public ElectronicAddress? Endpoint { get; init; }
    public string? Email { get; init; }
    /// <summary>Who answers for the party's invoices (BG-6); Germany's rules require it of a seller.</summary>
    public Smart.Rules.Plugins.PartyContact? Contact { get; init; }
    /// <summary>A private person, not a business: no VAT number is expected.</summary>
    public bool Individual { get; init; }
    public string? CodiceDestinatario { get; init; }
    public string? Pec { get; init; }
}

/// <summary>The VAT data a rule gives a line: UNCL 5305 category, CEF VATEX code and reason, and the FatturaPA Natura where one applies.</summary>
public sealed record VatCode(string Category, string? ExemptionCode = null, string? ExemptionReason = null, string? Natura = null);

public sealed record EInvoiceLine(int Index, string Description, decimal Quantity, decimal UnitPrice, decimal Net, decimal VatRate, VatCode Vat);

public sealed record EInvoiceVatGroup(VatCode Code, decimal Rate, decimal Base, decimal Vat);

public sealed record PrecedingInvoice(string Number, DateOnly Date);

public sealed record EInvoiceAttachment(string FileName, string MediaType, byte[] Content);

/// <summary>A datum the document needs and the client or issuer lacks, named by the field a person fills in.</summary>
public sealed record MissingDatum(string Party, string Field);
