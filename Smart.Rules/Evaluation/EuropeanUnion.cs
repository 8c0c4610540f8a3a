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

    // The same set as a table of two upper-case letters: every invoice asks, and a code is two array reads rather than a hash.
    private static readonly bool[] ByLetters = Table();

    private static bool[] Table()
    {
        var table = new bool[26 * 26];
        foreach (var member in Members) table[(member[0] - 'A') * 26 + member[1] - 'A'] = true;
        return table;
    }

    public static bool IsMember(string country, DateOnly date) =>
        (country.Length == 2 && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1])
            ? ByLetters[(country[0] - 'A') * 26 + country[1] - 'A'] : Members.Contains(country))
        || (country is "GB" && date < UnitedKingdomLeft);
}
