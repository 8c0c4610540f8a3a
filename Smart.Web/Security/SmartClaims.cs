namespace Smart.Web.Security;

public static class SmartClaims
{
    /// <summary>A country the user may work on, one claim each; <see cref="AllCountries"/> for every country.</summary>
    public const string Country = "smart:country";
    public const string AllCountries = "*";
}
