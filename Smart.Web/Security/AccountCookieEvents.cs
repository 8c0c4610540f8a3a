using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Security;

/// <summary>
/// Checks each cookie against the stored account (one read by primary key per request), so an administrator's change (roles,
/// countries, a lock) applies on the user's next request rather than when the cookie expires, and a cookie issued before a
/// sign-out or a new password (another security stamp) is refused; and answers the API and a refused page with status codes.
/// </summary>
public sealed class AccountCookieEvents(IAccountStore accounts, TimeProvider clock) : CookieAuthenticationEvents
{
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (!int.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || await accounts.GetAsync(id, context.HttpContext.RequestAborted) is not { } account
            || account.IsLockedAt(clock.GetUtcNow().UtcDateTime)
            || principal!.FindFirstValue(SmartClaims.SecurityStamp) != account.SecurityStamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SecurityServices.CookieScheme);
            return;
        }
        if (principal!.FindFirstValue(SmartClaims.AccountVersion) != account.Version.ToString(CultureInfo.InvariantCulture))
        {
            context.ReplacePrincipal(AccountPrincipal.For(account));
            context.ShouldRenew = true;
        }
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (!SecurityServices.IsApiRequest(context.Request)) return base.RedirectToLogin(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    // A refused page answers 403 in place (rendered by the status page), never a redirect to a page that says so.
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
