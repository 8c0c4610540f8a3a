using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Members;

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
            // The form keeps what was typed; its old version keeps it refused until the page is reloaded.
            ModelState.AddModelError("", texts["Someone else saved this member after you opened it. Reload the page to see their changes, then edit again."]);
            return Page();
        }
        TempData["Message"] = texts["Member {0} saved.", $"{Data.FirstName} {Data.LastName}"].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : MemberFields, IRequest<UpdateStatus>, IRequireRole, ICountryScoped
    {
        public int Id { get; set; }

        /// <summary>The version the form was read at; a save against a newer one is refused.</summary>
        public int Version { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class QueryHandler(IMemberStore members, CurrentUser user) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var member = await members.GetAsync(query.Id, cancellationToken);
            if (member is null || !user.CanSee(member.Country)) throw new NotFoundException($"No member {query.Id}.");
            var command = new Command { Id = member.Id, Version = member.Version };
            command.CopyFrom(member);
            return command;
        }
    }

    public sealed class CommandHandler(IMemberStore members, PluginCatalog plugins, CurrentUser user, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, UpdateStatus>
    {
        public async Task<UpdateStatus> Handle(Command command, CancellationToken cancellationToken)
        {
            // The posted country was checked by the authorisation step; the stored one is checked here.
            var stored = await members.GetAsync(command.Id, cancellationToken);
            if (stored is null || !user.CanSee(stored.Country)) throw new NotFoundException($"No member {command.Id}.");
            var changed = command.ToMember(stored, plugins);
            await MemberDuplicates.RefuseAsync<Command>(members, changed, localizers, cancellationToken);
            var outcome = await members.UpdateAsync(changed, command.Version, new AuditActor(user.Email), cancellationToken);
            return outcome.Status == UpdateStatus.NotFound ? throw new NotFoundException($"No member {command.Id}.") : outcome.Status;
        }
    }
}
