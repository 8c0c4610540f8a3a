using System.Security.Claims;

namespace Smart.Web.Security;

/// <summary>Who is calling, as handlers need to know it: a partner system by its API key, later a staff member by cookie.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal Principal => accessor.HttpContext?.User ?? new ClaimsPrincipal();

    public bool MayUseCountry(string country) =>
        Principal.FindAll(SmartClaims.Country).Any(c => c.Value == SmartClaims.AllCountries || string.Equals(c.Value, country, StringComparison.OrdinalIgnoreCase));
}
