using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Pages.Admin.Accounts;

public class EditModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task OnGetAsync(int id) => Data = await mediator.Send(new Query(id));

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Data.Id = id;
        var outcome = await mediator.Send(Data);
        var texts = PageResources.For(typeof(EditModel), localizers);
        if (outcome == UpdateStatus.ConcurrencyConflict)
        {
            // The form keeps what this administrator typed; its old version keeps it refused until they reload.
            ModelState.AddModelError("", texts["Someone else saved this account after you opened it. Reload the page to see their changes, then edit again."]);
            return Page();
        }
        TempData["Message"] = texts["Account {0} saved.", Data.Email].Value;
        return RedirectToPage("Index");
    }

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.Administrators;
    }

    public sealed class Command : AccountFields, IRequest<UpdateStatus>, IRequireRole
    {
        public int Id { get; set; }

        /// <summary>The version the form was read at; a save against a newer one is refused.</summary>
        public int Version { get; set; }

        /// <summary>Shown, not changed: the e-mail is the sign-in name.</summary>
        public string Email { get; set; } = "";

        public bool Locked { get; set; }

        [StringLength(200, MinimumLength = 10), DataType(DataType.Password), Display(Name = "New password")]
        public string? NewPassword { get; set; }

        [Display(Name = "Unlock")]
        public bool Unlock { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.Administrators;
    }

    public sealed class QueryHandler(IAccountStore accounts, TimeProvider clock) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var account = await accounts.GetAsync(query.Id, cancellationToken) ?? throw new NotFoundException($"No account {query.Id}.");
            return new Command
            {
                Id = account.Id, Version = account.Version, Email = account.Email, DisplayName = account.DisplayName,
                Roles = account.Roles.ToList(), Countries = account.Countries.ToList(), Locked = account.IsLockedAt(clock.GetUtcNow().UtcDateTime),
            };
        }
    }

    public sealed class CommandHandler(IAccountStore accounts, IPasswordHasher<Storage.Accounts.Account> hasher) : IRequestHandler<Command, UpdateStatus>
    {
        public async Task<UpdateStatus> Handle(Command command, CancellationToken cancellationToken)
        {
            var account = await accounts.GetAsync(command.Id, cancellationToken) ?? throw new NotFoundException($"No account {command.Id}.");
            var changed = account with
            {
                DisplayName = command.DisplayName.Trim(),
                Roles = command.Roles.Distinct().ToList(),
                Countries = command.Countries.Select(CountryCode.Normalise).Distinct().ToList(),
            };
            if (!string.IsNullOrEmpty(command.NewPassword)) changed = changed with { PasswordHash = hasher.HashPassword(changed, command.NewPassword) };
            if (command.Unlock) changed = changed.AfterSuccessfulSignIn();
            var outcome = await accounts.UpdateAsync(changed, command.Version, cancellationToken);
            return outcome.Status == UpdateStatus.NotFound ? throw new NotFoundException($"No account {command.Id}.") : outcome.Status;
        }
    }
}
