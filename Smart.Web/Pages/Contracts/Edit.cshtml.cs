using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;

namespace Smart.Web.Pages.Contracts;

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
            ModelState.AddModelError("", texts["Someone else saved this contract after you opened it. Reload the page to see their changes, then edit again."]);
            return Page();
        }
        TempData["Message"] = texts["Contract {0} saved and evaluated again.", id].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : ContractFields, IRequest<UpdateStatus>, IRequireRole
    {
        public int Id { get; set; }

        /// <summary>The version the form was read at; a save against a newer one is refused.</summary>
        public int Version { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class QueryHandler(IContractStore contracts, CurrentUser user) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var contract = await contracts.GetAsync(query.Id, cancellationToken);
            if (contract is null || !user.CanSee(contract.Country)) throw new NotFoundException($"No contract {query.Id}.");
            var command = new Command { Id = contract.Id, Version = contract.Version };
            command.CopyFrom(contract);
            return command;
        }
    }

    public sealed class CommandHandler(ContractServices services, ContractEvaluations evaluations) : IRequestHandler<Command, UpdateStatus>
    {
        public async Task<UpdateStatus> Handle(Command command, CancellationToken cancellationToken)
        {
            var stored = await services.Contracts.GetAsync(command.Id, cancellationToken);
            if (stored is null || !services.User.CanSee(stored.Country)) throw new NotFoundException($"No contract {command.Id}.");
            if (stored.SalaryPaidOn is not null)
                throw Behaviours.RequestValidationException.For<Command>("",
                    Localization.PageResources.For(typeof(EditModel), services.Localizers)["This contract's salary is paid: it no longer changes."]);
            // A contract stays with the unit it was made for: its budget was checked against that unit.
            command.ProductionUnitId = stored.ProductionUnitId;
            var contract = await evaluations.DraftAsync<Command>(command, stored, cancellationToken);
            var outcome = await services.Contracts.UpdateAsync(contract, command.Version, new AuditActor(services.User.Email), cancellationToken);
            return outcome.Status == UpdateStatus.NotFound ? throw new NotFoundException($"No contract {command.Id}.") : outcome.Status;
        }
    }
}
