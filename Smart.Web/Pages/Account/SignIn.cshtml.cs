using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Pages.Account;

[AllowAnonymous]
public class SignInModel(IMediator mediator) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    /// <summary>Where to go after signing in; only a local URL is followed, so a link cannot send a user elsewhere.</summary>
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await mediator.Send(Data);
        if (result.Principal is null)
        {
            ModelState.AddModelError("", result.Refusal!);
            return Page();
        }
        await HttpContext.SignInAsync(SecurityServices.CookieScheme, result.Principal);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    public sealed class Command : IRequest<Result>
    {
        [Required, EmailAddress, Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password), Display(Name = "Password")]
        public string Password { get; set; } = "";
    }

    /// <summary>The signed-in principal, or why not, in the user's language.</summary>
    public sealed record Result(ClaimsPrincipal? Principal, string? Refusal);

    /// <summary>
    /// Every refusal reads the same and costs one password hash, whether the e-mail is unknown, the password wrong or the account
    /// locked, so neither the answer nor its timing tells whether an account exists or is locked.
    /// </summary>
    public sealed class Handler(IAccountStore accounts, IPasswordHasher<Storage.Accounts.Account> hasher, TimeProvider clock, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, Result>
    {
        private static readonly Storage.Accounts.Account Nobody = new(0, "", "", "", [], []);
        // Made once per process with the app's hasher: verifying it costs what verifying a real account's hash costs.
        private static string? dummyHash;
        private IStringLocalizer Texts => PageResources.For(typeof(SignInModel), localizers);

        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var account = await accounts.FindByEmailAsync(command.Email, cancellationToken);
            if (account is null)
            {
                hasher.VerifyHashedPassword(Nobody, dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString()), command.Password);
                return Refused();
            }
            var verified = hasher.VerifyHashedPassword(account, account.PasswordHash, command.Password) != PasswordVerificationResult.Failed;
            // A locked account never confirms a guess, right or wrong, and its lock is not extended.
            if (account.IsLockedAt(now)) return Refused();
            if (!verified)
            {
                var failed = account.AfterFailedSignIn(now);
                await accounts.RecordSignInAsync(account.Id, failed.FailedSignIns, failed.LockedUntilUtc, cancellationToken);
                return Refused();
            }
            var signedIn = account.AfterSuccessfulSignIn();
            await accounts.RecordSignInAsync(account.Id, signedIn.FailedSignIns, signedIn.LockedUntilUtc, cancellationToken);
            return new Result(AccountPrincipal.For(signedIn), null);
        }

        private Result Refused() => new(null, Texts[RefusalText, Storage.Accounts.Account.MaxFailedSignIns, (int)Storage.Accounts.Account.LockoutDuration.TotalMinutes]);
    }

    public const string RefusalText =
        "The e-mail or the password is wrong, or the account is locked after {0} wrong passwords: try again in {1} minutes or ask an administrator.";
}
