namespace Smart.Web.Security;

public static class SmartClaims
{
    /// <summary>A country the user may work on, one claim each; <see cref="AllCountries"/> for every country.</summary>
    public const string Country = "smart:country";
    public const string AllCountries = "*";

    /// <summary>The account's version when the cookie was issued: a cookie older than an administrator's change is refreshed.</summary>
    public const string AccountVersion = "smart:account-version";

    /// <summary>The account's security stamp when the cookie was issued: a cookie from before a sign-out or a new password is refused.</summary>
    public const string SecurityStamp = "smart:security-stamp";
}
