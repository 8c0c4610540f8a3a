namespace Smart.Web.Storage;

/// <summary>
/// The countries a search may return rows of. Every directory search takes one, so a caller cannot forget the
/// country scoping: <see cref="All"/> must be asked for explicitly, never implied by an empty or missing set.
/// </summary>
public sealed class CountryScope
{
    private CountryScope(IReadOnlySet<string>? countries) => Countries = countries;

    /// <summary>The visible countries, upper case; null for every country.</summary>
    public IReadOnlySet<string>? Countries { get; }

    public bool IsAll => Countries is null;

    public static CountryScope All { get; } = new(null);

    /// <summary>Only these countries; an empty list gives a scope that sees nothing.</summary>
    public static CountryScope Only(IEnumerable<string> countries) =>
        new(countries.Select(CountryCode.Normalise).ToHashSet(StringComparer.Ordinal));

    public static CountryScope Only(params string[] countries) => Only((IEnumerable<string>)countries);

    /// <summary>What a signed-in user (or API key) may see: every country only when their claims say so.</summary>
    public static CountryScope Of(Security.CurrentUser user) => user.SeesAllCountries ? All : Only(user.VisibleCountries);

    public bool Includes(string country) => Countries is null || Countries.Contains(CountryCode.Normalise(country));

    public override string ToString() => Countries is null ? "*" : string.Join(",", Countries.Order(StringComparer.Ordinal));
}
