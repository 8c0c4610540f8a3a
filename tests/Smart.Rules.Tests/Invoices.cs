using Smart.Rules.Evaluation;

namespace Smart.Rules.Tests;

public static class Invoices
{
    public static InvoiceDocument Belgian(DateOnly? date = null, string category = "service", decimal unitPrice = 100m, string clientCountry = "BE",
        string? vatNumber = null, string? issuer = null, MemberInfo? member = null) => new()
        {
            Country = "BE",
            Date = date ?? new DateOnly(2026, 3, 15),
            Issuer = issuer,
            Client = new ClientInfo { Kind = "business", Country = clientCountry, VatNumber = vatNumber },
            Member = member,
            Lines = [new InvoiceLine { Description = "Work", Category = category, Quantity = 1, UnitPrice = unitPrice }],
        };

    /// <summary>The request example of DESIGN.md's public API section.</summary>
    public static InvoiceDocument DesignExample => new()
    {
        Country = "BE",
        Date = new DateOnly(2026, 3, 15),
        Issuer = "formateurs-associes",
        ServiceLevel = "standard",
        Client = new ClientInfo { Kind = "business", Country = "FR", VatNumber = "FR40303265045", LegalForm = "SAS" },
        Member = new MemberInfo { AuthorRightsYearToDate = 12000m, HasArtistAttestation = true },
        Lines = [new InvoiceLine { Description = "Workshop", Category = "training", Quantity = 2, UnitPrice = 450m }],
    };
}
