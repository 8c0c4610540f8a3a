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

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task OnGetAsync(int? memberId) => Data = await mediator.Send(new Blank(memberId));

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Production unit {0} created.", created.Name].Value;
        return RedirectToPage("Details", new { id = created.Id });
    }

    /// <summary>An empty form: for a member given (from their page), their number and country; else the country when the user sees only one.</summary>
    public sealed record Blank(int? MemberId) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class BlankHandler(IMemberStore members, CurrentUser user) : IRequestHandler<Blank, Command>
    {
        public async Task<Command> Handle(Blank request, CancellationToken cancellationToken)
        {
            var command = new Command { Country = user.VisibleCountries is [var only] ? only : "" };
            if (request.MemberId is { } id && await members.GetAsync(id, cancellationToken) is { } member && user.CanSee(member.Country))
            {
                command.MemberId = member.Id;
                command.Country = member.Country;
                command.Sector = member.Sector;
            }
            return command;
        }
    }

    public sealed class Command : UnitFields, IRequest<ProductionUnit>, IRequireRole, ICountryScoped
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(IProductionUnitStore units, IMemberStore members, CurrentUser user, IStringLocalizerFactory localizers, TimeProvider clock)
        : IRequestHandler<Command, ProductionUnit>
    {
        public async Task<ProductionUnit> Handle(Command command, CancellationToken cancellationToken)
        {
            await command.CheckOwnerAsync<Command>(members, user, localizers, cancellationToken);
            var unit = command.ToUnit(null, DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
            return await units.AddAsync(unit, new AuditActor(user.Email), cancellationToken);
        }
    }
}
