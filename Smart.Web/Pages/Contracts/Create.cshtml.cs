using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Contracts;

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task OnGetAsync(int? unitId) => Data = await mediator.Send(new Blank(unitId));

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Contract {0} created and evaluated.", created.Id].Value;
        return RedirectToPage("Details", new { id = created.Id });
    }

    /// <summary>An empty draft starting today, for the production unit given when the user may see it.</summary>
    public sealed record Blank(int? UnitId) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class BlankHandler(IProductionUnitStore units, CurrentUser user, TimeProvider clock) : IRequestHandler<Blank, Command>
    {
        public async Task<Command> Handle(Blank request, CancellationToken cancellationToken)
        {
            var command = new Command { StartDate = DateOnly.FromDateTime(clock.GetLocalNow().DateTime) };
            if (request.UnitId is { } id && await units.GetAsync(id, cancellationToken) is { } unit && user.CanSee(unit.Country))
                command.ProductionUnitId = unit.Id;
            return command;
        }
    }

    /// <summary>A new contract; it names its unit by number, so the handler checks the unit's country, not the authorisation step.</summary>
    public sealed class Command : ContractFields, IRequest<Contract>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(ContractServices services, ContractEvaluations evaluations) : IRequestHandler<Command, Contract>
    {
        public async Task<Contract> Handle(Command command, CancellationToken cancellationToken)
        {
            var contract = await evaluations.DraftAsync<Command>(command, null, cancellationToken);
            return await services.Contracts.AddAsync(contract, new AuditActor(services.User.Email), cancellationToken);
        }
    }
}
