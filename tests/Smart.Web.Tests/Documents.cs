namespace Smart.Web.Tests;

/// <summary>Request bodies as partner systems send them.</summary>
public static class Documents
{
    /// <summary>The example of DESIGN.md: training by Belgium's recognised training body for a French company.</summary>
    public const string BelgianTrainingInvoice = """
        { "country": "BE", "date": "2026-03-15", "issuer": "formateurs-associes", "serviceLevel": "standard",
          "client": { "kind": "business", "country": "FR", "vatNumber": "FR40303265045", "legalForm": "SAS" },
          "member": { "authorRightsYearToDate": 12000.00, "hasArtistAttestation": true },
          "lines": [ { "description": "Workshop", "category": "training", "quantity": 2, "unitPrice": 450.00 } ] }
        """;

    /// <summary>A service sold to a private person of the same country, by the country's default issuer.</summary>
    public static string DomesticServiceInvoice(string country) => $$"""
        { "country": "{{country}}", "date": "2026-03-15",
          "client": { "kind": "individual", "country": "{{country}}" },
          "lines": [ { "description": "Design work", "category": "service", "quantity": 3, "unitPrice": 120.50 } ] }
        """;

    public const string BelgianEmployeeContract = """
        { "country": "BE", "date": "2026-03-15", "endDate": "2026-03-19", "jobCategory": "employee",
          "days": 5, "hours": 38, "budget": 2000.00 }
        """;
}
