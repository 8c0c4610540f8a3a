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

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel, IPageChoices
{
    [BindProperty] public Command Data { get; set; } = new();

    /// <summary>The legal forms of the user's countries in force today, for the legal-form select.</summary>
    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) => await mediator.Send(new LegalFormChoices.Query(), cancellationToken);

    public async Task OnGetAsync() => Data = await mediator.Send(new Query());

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Client {0} created.", created.Name].Value;
        return RedirectToPage("Details", new { id = created.Id });
    }

    /// <summary>An empty form, in the user's country when they have only one.</summary>
    public sealed record Query : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : ClientFields, IRequest<Client>, IRequireRole, ICountryScoped
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
        string? ICountryScoped.Country => Country;
    }

    public sealed class QueryHandler(CurrentUser user) : IRequestHandler<Query, Command>
    {
        public Task<Command> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(new Command { Country = user.VisibleCountries.Count == 1 ? user.VisibleCountries[0] : "" });
    }

    public sealed class Handler(IClientStore clients, CurrentUser user, PluginCatalog plugins, RuleBook rules, TimeProvider clock,
        IStringLocalizerFactory localizers) : IRequestHandler<Command, Client>
    {
        public async Task<Client> Handle(Command command, CancellationToken cancellationToken)
        {
            var client = command.ToClient(plugins, rules, ClientLegalForms.Today(clock));
            if (client.VatNumber is { } vat && await clients.FindByVatNumberAsync(client.Country, vat, cancellationToken) is not null)
                throw RequestValidationException.For<Command>(nameof(Command.VatNumber),
                    PageResources.For(typeof(CreateModel), localizers)["Another client of this country has this VAT number."]);
            return await clients.AddAsync(client, new AuditActor(user.Email), cancellationToken);
        }
    }
}
