namespace Smart.Rules.Evaluation;

/// <summary>EU member states for VAT purposes, dated, since the place-of-supply rules depend on membership on the document's date.</summary>
public static class EuropeanUnion
{
    private static readonly HashSet<string> Members =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
        "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    // The United Kingdom left on 31 January 2020 (Withdrawal Agreement, OJ L 29, 31.1.2020).
    private static readonly DateOnly UnitedKingdomLeft = new(2020, 2, 1);

    public static bool IsMember(string country, DateOnly date) =>
        Members.Contains(country) || (country is "GB" && date < UnitedKingdomLeft);
}
