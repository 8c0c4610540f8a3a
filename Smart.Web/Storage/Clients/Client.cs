namespace Smart.Web.Storage.Clients;

/// <summary>The client kinds the evaluation API knows; a client's kind and VAT number decide how its invoices are taxed.</summary>
public enum ClientKind
{
    Business,
    Individual,
    Public,
    Nonprofit,
}

/// <summary>Someone members invoice through their production units. Id and Version are set by the store.</summary>
public sealed record Client
{
    public int Id { get; init; }
    /// <summary>The country whose cooperative holds the client in its directory.</summary>
    public required string Country { get; init; }
    public ClientKind Kind { get; init; }
    public required string Name { get; init; }
    /// <summary>A code from the country's legal-forms rule set; none for an individual.</summary>
    public string? LegalForm { get; init; }
    /// <summary>As the country plugin's validator normalises it.</summary>
    public string? VatNumber { get; init; }
    public string? CompanyNumber { get; init; }
    public string? Address { get; init; }
    public string? City { get; init; }
    public string? Email { get; init; }
    public string? PostalCode { get; init; }
    /// <summary>The Peppol participant the client receives e-invoices at (EAS scheme and identifier); by default derived by its country's plugin.</summary>
    public string? PeppolScheme { get; init; }
    public string? PeppolId { get; init; }
    /// <summary>Italy: the SdI channel code (7 characters) or the certified e-mail (PEC) the client's invoices are delivered to.</summary>
    public string? CodiceDestinatario { get; init; }
    public string? Pec { get; init; }
    public int Version { get; init; }
}
