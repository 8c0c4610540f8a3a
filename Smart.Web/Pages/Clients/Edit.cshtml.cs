using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

public class EditModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel, IPageChoices
{
    [BindProperty] public Command Data { get; set; } = new();

    /// <summary>The legal forms of the user's countries in force today, for the legal-form select.</summary>
    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) => await mediator.Send(new LegalFormChoices.Query(), cancellationToken);

    public async Task OnGetAsync(int id) => Data = await mediator.Send(new Query(id));

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Data.Id = id;
        var outcome = await mediator.Send(Data);
        var texts = PageResources.For(typeof(EditModel), localizers);
        if (outcome == UpdateStatus.ConcurrencyConflict)
        {
            // The form keeps what was typed; its old version keeps it refused until the page is reloaded.
            ModelState.AddModelError("", texts["Someone else saved this client after you opened it. Reload the page to see their changes, then edit again."]);
            return Page();
        }
        TempData["Message"] = texts["Client {0} saved.", Data.Name].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : ClientFields, IRequest<UpdateStatus>, IRequireRole, ICountryScoped
    {
        public int Id { get; set; }

        /// <summary>The version the form was read at; a save against a newer one is refused.</summary>
        public int Version { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
        string? ICountryScoped.Country => Country;

        public static Command From(Client client)
        {
            var command = new Command { Id = client.Id, Version = client.Version };
            command.Read(client);
            return command;
        }
    }

    public sealed class QueryHandler(IClientStore clients, CurrentUser user) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var client = await clients.GetAsync(query.Id, cancellationToken);
            if (client is null || !user.CanSee(client.Country)) throw new NotFoundException($"No client {query.Id}.");
            return Command.From(client);
        }
    }

    public sealed class CommandHandler(IClientStore clients, CurrentUser user, PluginCatalog plugins, RuleBook rules, TimeProvider clock,
        IStringLocalizerFactory localizers) : IRequestHandler<Command, UpdateStatus>
    {
        public async Task<UpdateStatus> Handle(Command command, CancellationToken cancellationToken)
        {
            var stored = await clients.GetAsync(command.Id, cancellationToken);
            // The stored country decides, not only the posted one: moving a client out of sight or into it both need both.
            if (stored is null || !user.CanSee(stored.Country) || !user.CanSee(command.Country)) throw new NotFoundException($"No client {command.Id}.");

            var changed = command.ToClient(plugins, rules, ClientLegalForms.Today(clock)) with { Id = stored.Id, Version = stored.Version };
            if (changed.VatNumber is { } vat && await clients.FindByVatNumberAsync(changed.Country, vat, cancellationToken) is { } holder && holder.Id != stored.Id)
                throw RequestValidationException.For<Command>(nameof(Command.VatNumber),
                    PageResources.For(typeof(EditModel), localizers)["Another client of this country has this VAT number."]);
            var outcome = await clients.UpdateAsync(changed, command.Version, new AuditActor(user.Email), cancellationToken);
            return outcome.Status == UpdateStatus.NotFound ? throw new NotFoundException($"No client {command.Id}.") : outcome.Status;
        }
    }
}
