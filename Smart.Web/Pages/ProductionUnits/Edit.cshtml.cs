using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

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
            ModelState.AddModelError("", texts["Someone else saved this production unit after you opened it. Reload the page to see their changes, then edit again."]);
            return Page();
        }
        TempData["Message"] = texts["Production unit {0} saved.", Data.Name].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : UnitFields, IRequest<UpdateStatus>, IRequireRole, ICountryScoped
    {
        public int Id { get; set; }

        /// <summary>The version the form was read at; a save against a newer one is refused.</summary>
        public int Version { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class QueryHandler(IProductionUnitStore units, CurrentUser user) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var unit = await units.GetAsync(query.Id, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {query.Id}.");
            var command = new Command { Id = unit.Id, Version = unit.Version };
            command.CopyFrom(unit);
            return command;
        }
    }

    public sealed class CommandHandler(IProductionUnitStore units, IMemberStore members, CurrentUser user, IStringLocalizerFactory localizers, TimeProvider clock)
        : IRequestHandler<Command, UpdateStatus>
    {
        public async Task<UpdateStatus> Handle(Command command, CancellationToken cancellationToken)
        {
            // The posted country was checked by the authorisation step; the stored one is checked here.
            var stored = await units.GetAsync(command.Id, cancellationToken);
            if (stored is null || !user.CanSee(stored.Country)) throw new NotFoundException($"No production unit {command.Id}.");
            await command.CheckOwnerAsync<Command>(members, user, localizers, cancellationToken);
            var outcome = await units.UpdateAsync(command.ToUnit(stored, DateOnly.FromDateTime(clock.GetLocalNow().DateTime)), command.Version,
                new AuditActor(user.Email), cancellationToken);
            return outcome.Status == UpdateStatus.NotFound ? throw new NotFoundException($"No production unit {command.Id}.") : outcome.Status;
        }
    }
}
