using System.Security.Claims;
using Smart.Rules.Plugins;

namespace Smart.Web.Security;

/// <summary>Who is calling, as handlers need to know it: a staff member by the sign-in cookie, a partner system by its API key.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor, PluginCatalog plugins)
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    /// <summary>The account's id; null for an API key or an anonymous caller.</summary>
    public int? AccountId =>
        Principal.Identity?.AuthenticationType == SecurityServices.CookieScheme
        && int.TryParse(Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The display name (or the API key's name).</summary>
    public string Name => Principal.FindFirstValue(ClaimTypes.Name) ?? "";

    /// <summary>The sign-in e-mail; empty for an API key. This is what audit entries record as the actor.</summary>
    public string Email => Principal.FindFirstValue(ClaimTypes.Email) ?? "";

    public IReadOnlyList<string> Roles => Principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();

    public bool IsInRole(string role) => Principal.IsInRole(role);

    public bool IsInAnyRole(IEnumerable<string> roles) => roles.Any(Principal.IsInRole);

    /// <summary>True when the user is not restricted to a set of countries.</summary>
    public bool SeesAllCountries => Principal.FindAll(SmartClaims.Country).Any(c => c.Value == SmartClaims.AllCountries);

    /// <summary>The countries the user may work on, upper case and sorted; every country of the plugin catalog when unrestricted.</summary>
    public IReadOnlyList<string> VisibleCountries =>
        (SeesAllCountries
            ? plugins.Plugins.Select(p => p.Manifest.Country)
            : Principal.FindAll(SmartClaims.Country).Select(c => c.Value))
        .Select(CountryCode.Normalise).Distinct().Order(StringComparer.Ordinal).ToList();

    public bool CanSee(string country) =>
        Principal.FindAll(SmartClaims.Country).Any(c => c.Value == SmartClaims.AllCountries || string.Equals(c.Value, country, StringComparison.OrdinalIgnoreCase));

    /// <summary>The API's name for <see cref="CanSee"/>.</summary>
    public bool MayUseCountry(string country) => CanSee(country);
}
