using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Pages.Admin.Accounts;

public class CreateModel(IMediator mediator) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), HttpContext.RequestServices.GetRequiredService<IStringLocalizerFactory>())
            ["Account {0} created.", created.Email].Value;
        return RedirectToPage("Index");
    }

    public sealed class Command : AccountFields, IRequest<Storage.Accounts.Account>, IRequireRole
    {
        [Required, EmailAddress, StringLength(200), Display(Name = "E-mail")]
        public string Email { get; set; } = "";

        // Ten characters at least, as NIST SP 800-63B advises length over composition rules.
        [Required, StringLength(200, MinimumLength = 10), DataType(DataType.Password), Display(Name = "Password")]
        public string Password { get; set; } = "";

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.Administrators;
    }

    public sealed class Handler(IAccountStore accounts, IPasswordHasher<Storage.Accounts.Account> hasher, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, Storage.Accounts.Account>
    {
        public async Task<Storage.Accounts.Account> Handle(Command command, CancellationToken cancellationToken)
        {
            var account = new Storage.Accounts.Account(0, command.Email, command.DisplayName.Trim(), "", command.Roles.Distinct().ToList(),
                command.Countries.Select(CountryCode.Normalise).Distinct().ToList());
            account = account with { PasswordHash = hasher.HashPassword(account, command.Password) };
            return await accounts.AddAsync(account, cancellationToken)
                ?? throw RequestValidationException.For<Command>(nameof(Command.Email),
                    PageResources.For(typeof(CreateModel), localizers)["Another account already uses this e-mail."]);
        }
    }
}
