using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

public class DetailsModel(IMediator mediator) : PageModel
{
    public Result Unit { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Unit = await mediator.Send(new Query(id));

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(ProductionUnit Unit, Member? Owner, string Currency, int MinorUnit, IReadOnlyList<AuditEntry> History,
        Smart.Web.Budget.LedgerTotals Ledger, Smart.Web.Pages.Shared.ConnectedDocuments Documents);

    public sealed class Handler(IProductionUnitStore units, IMemberStore members, IAuditLog audit, CurrentUser user, PluginCatalog plugins,
        Smart.Web.Budget.ILedgerStore ledger, Smart.Web.Pages.Shared.ConnectedDocumentReader documents)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var unit = await units.GetAsync(query.Id, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {query.Id}.");
            var owner = await members.GetAsync(unit.MemberId, cancellationToken);
            var manifest = plugins.Find(unit.Country)?.Manifest;
            var history = await audit.ForEntityAsync(AuditedEntity.ProductionUnit, unit.Id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            var connected = await documents.OfUnitsAsync(CountryScope.Only(unit.Country), [unit.Id], cancellationToken) with
            {
                InvoiceListRoute = new Dictionary<string, string> { ["ProductionUnitId"] = unit.Id.ToString(CultureInfo.InvariantCulture) },
                ContractListRoute = new Dictionary<string, string> { ["ProductionUnitId"] = unit.Id.ToString(CultureInfo.InvariantCulture) },
            };
            return new Result(unit, owner is not null && user.CanSee(owner.Country) ? owner : null, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2, history,
                await ledger.TotalsAsync(unit.Id, cancellationToken), connected);
        }
    }
}
