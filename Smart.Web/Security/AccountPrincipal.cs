using System.Globalization;
using System.Security.Claims;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Security;

/// <summary>The claims a signed-in account carries in its cookie: id, name, e-mail, roles, countries, the account's version and security stamp.</summary>
public static class AccountPrincipal
{
    public static ClaimsPrincipal For(Account account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, account.DisplayName),
            new(ClaimTypes.Email, account.Email),
            new(SmartClaims.AccountVersion, account.Version.ToString(CultureInfo.InvariantCulture)),
            new(SmartClaims.SecurityStamp, account.SecurityStamp),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(account.Countries.Count == 0
            ? [new Claim(SmartClaims.Country, SmartClaims.AllCountries)]
            : account.Countries.Select(c => new Claim(SmartClaims.Country, CountryCode.Normalise(c))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SecurityServices.CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
