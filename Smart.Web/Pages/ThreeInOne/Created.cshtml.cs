using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ThreeInOne;

/// <summary>What a 3-in-1 job stored, with a link to each document's own page.</summary>
public class CreatedModel(IMediator mediator) : PageModel
{
    public Result Created { get; private set; } = null!;

    public async Task OnGetAsync(Query query) => Created = await mediator.Send(query);

    public sealed record Query(int Invoice, int Contract, int[]? Claims) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(ProductionUnit Unit, Invoice Invoice, Contract Contract, IReadOnlyList<ExpenseClaim> Claims);

    public sealed class Handler(IProductionUnitStore units, IInvoiceStore invoices, IContractStore contracts, IExpenseClaimStore claims, CurrentUser user)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Invoice, cancellationToken);
            var contract = await contracts.GetAsync(query.Contract, cancellationToken);
            // One job: the contract pays this invoice, and every document is of the same unit, one the user may see.
            if (invoice is null || contract is null || contract.JobInvoiceId != invoice.Id || !user.CanSee(invoice.Country))
                throw new NotFoundException($"No 3-in-1 job of invoice {query.Invoice} and contract {query.Contract}.");
            var unit = await units.GetAsync(invoice.ProductionUnitId, cancellationToken) ?? throw new NotFoundException($"No production unit {invoice.ProductionUnitId}.");
            var found = new List<ExpenseClaim>();
            foreach (var id in query.Claims ?? [])
                if (await claims.GetAsync(id, cancellationToken) is { } claim && claim.ProductionUnitId == unit.Id) found.Add(claim);
            return new Result(unit, invoice, contract, found);
        }
    }
}
