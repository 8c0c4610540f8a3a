namespace Smart.Volume;

/// <summary>
/// How many records of each kind a country's year holds. Belgium is DOMAIN.md's 2023 year; the partners have DOMAIN.md's users a year as
/// members, and invoices from their turnover at Belgium's average invoice (193.8 M EUR / 208,014 ≈ 930 EUR).
/// </summary>
public sealed record VolumeFigures(string Country, int Members, int ProductionUnits, int Clients, int Invoices, int Contracts)
{
    private const decimal BelgianAverageInvoice = 193_800_000m / 208_014m;

    public static IReadOnlyList<VolumeFigures> Year { get; } =
    [
        new("BE", 20_077, 19_880, 30_000, 208_014, 208_014),
        Partner("FR", 733, 7_300_000m, employment: true),
        Partner("IT", 1_660, 6_600_000m, employment: true),
        Partner("SE", 303, 2_200_000m, employment: true),
        Partner("DE", 300, 4_600_000m, employment: false),
        Partner("AT", 336, 1_700_000m, employment: false),
        Partner("NL", 6, 59_000m, employment: false),
        // Not in DOMAIN.md's table ("supported until recently"): the demo directory's size and a small year.
        Partner("ES", 20, 200_000m, employment: false),
    ];

    /// <summary>Members as DOMAIN.md's users; units and clients in Belgium's proportions; contracts only where an employment rule set exists.</summary>
    private static VolumeFigures Partner(string country, int members, decimal turnover, bool employment) => new(country, members,
        (int)Math.Round(members * 19_880m / 20_077m), (int)Math.Round(members * 30_000m / 20_077m), (int)Math.Round(turnover / BelgianAverageInvoice),
        employment ? (int)Math.Round(members * 208_014m / 20_077m) : 0);

    /// <summary>The same year scaled (0.01 = a hundredth), never below one member, unit and client so every country is there.</summary>
    public VolumeFigures Scaled(double scale) => scale == 1.0 ? this : this with
    {
        Members = Math.Max(1, (int)Math.Round(Members * scale)),
        ProductionUnits = Math.Max(1, (int)Math.Round(ProductionUnits * scale)),
        Clients = Math.Max(1, (int)Math.Round(Clients * scale)),
        Invoices = (int)Math.Round(Invoices * scale),
        Contracts = (int)Math.Round(Contracts * scale),
    };
}
