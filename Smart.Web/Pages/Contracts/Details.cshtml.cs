using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Contracts;

public class DetailsModel(IMediator mediator, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizerFactory localizers) : PageModel
{
    public Result Contract { get; private set; } = null!;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>"salary" when the salary payment's confirmation is open: the page's own confirmation step when JavaScript does not open it in place.</summary>
    public string? Confirm { get; private set; }

    public async Task OnGetAsync(int id, string? confirm)
    {
        Contract = await mediator.Send(new Query(id));
        Confirm = confirm is "salary" ? confirm : null;
    }

    /// <summary>Marks the salary paid: the unit's ledger spends the contract's cost and releases what it held.</summary>
    public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnPostPaySalaryAsync(int id, DateOnly? paidOn)
    {
        Contract = await mediator.Send(new Query(id));
        await mediator.Send(new Smart.Web.Budget.SalaryGuarantee.PaySalary(id, paidOn ?? Today));
        TempData["Message"] = Smart.Web.Localization.PageResources.For(typeof(DetailsModel), localizers)["Salary marked paid."].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(Contract Contract, ProductionUnit? Unit, Member? Member, string Currency, int MinorUnit, IReadOnlyList<AuditEntry> History);

    public sealed class Handler(IContractStore contracts, IProductionUnitStore units, IMemberStore members, IAuditLog audit, CurrentUser user, PluginCatalog plugins)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var contract = await contracts.GetAsync(query.Id, cancellationToken);
            if (contract is null || !user.CanSee(contract.Country)) throw new NotFoundException($"No contract {query.Id}.");
            var unit = await units.GetAsync(contract.ProductionUnitId, cancellationToken);
            var member = await members.GetAsync(contract.MemberId, cancellationToken);
            var manifest = plugins.Find(contract.Country)?.Manifest;
            var history = await audit.ForEntityAsync(LiteDbContractStore.AuditedEntityType, contract.Id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            return new Result(contract, unit, member is not null && user.CanSee(member.Country) ? member : null,
                contract.Evaluation?.Currency ?? manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2, history);
        }
    }
}
