using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Pages.Account;

/// <summary>Signs out on POST only, so a link or an image on another site cannot sign a user out.</summary>
public class SignOutModel(IMediator mediator) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await mediator.Send(new Command());
        await HttpContext.SignOutAsync(SecurityServices.CookieScheme);
        return RedirectToPage("/Account/SignIn");
    }

    /// <summary>
    /// Ends every session of the signed-in account, not only this browser's: a copy of the cookie (a shared computer, a stolen
    /// one) must stop working at sign-out, and one stamp per account is simpler than a list of revoked sessions.
    /// </summary>
    public sealed record Command : IRequest<bool>;

    public sealed class Handler(IAccountStore accounts, CurrentUser user) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command command, CancellationToken cancellationToken) =>
            user.AccountId is { } id && await accounts.RotateSecurityStampAsync(id, cancellationToken);
    }
}
