using MediatR;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

/// <summary>
/// What the invoice form offers, loaded for Create and Edit whenever they render (after a refused post too): the units to start from,
/// or the chosen unit with its country's clients and issuing entities, and where its member stands against the author-rights ceiling.
/// </summary>
public sealed record InvoiceChoices(IReadOnlyList<ProductionUnit> Units, ProductionUnit? Unit, IReadOnlyList<Client> Clients,
    IReadOnlyList<IssuingEntity> Issuers, IssuingEntity? TrainingBody, AuthorRightsCeilingCheck? Ceiling)
{
    public static InvoiceChoices None { get; } = new([], null, [], [], null, null);

    /// <summary>The form's unit (null: the page first asks for one), its date, and the draft being edited (its stored author rights are the ceiling's figure).</summary>
    public sealed record Query(int? ProductionUnitId, DateOnly? Date, int? DraftId) : IRequest<InvoiceChoices>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(IProductionUnitStore units, IClientStore clients, IInvoiceStore invoices, InvoiceEvaluations evaluations,
        PluginCatalog plugins, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, InvoiceChoices>
    {
        public async Task<InvoiceChoices> Handle(Query query, CancellationToken cancellationToken)
        {
            if (query.ProductionUnitId is not { } unitId)
            {
                var active = await units.SearchAsync(new ProductionUnitQuery(CountryScope.Of(user))
                { Status = ProductionUnitStatus.Active, Sort = ProductionUnitSort.Country, Take = 1000 }, cancellationToken);
                return None with { Units = active.Rows };
            }
            // A unit posted by hand that the user may not see offers nothing: the save refuses it, and the form shows none of its country.
            var unit = await units.GetAsync(unitId, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) return None;
            var found = await clients.SearchAsync(new ClientQuery(CountryScope.Only(unit.Country)) { Take = 1000 }, cancellationToken);
            return new InvoiceChoices([], unit, found.Rows, InvoiceIssuers.Of(plugins, unit.Country), InvoiceIssuers.TrainingBody(plugins, unit.Country),
                await CeilingAsync(unit, query, cancellationToken));
        }

        private async Task<AuthorRightsCeilingCheck?> CeilingAsync(ProductionUnit unit, Query query, CancellationToken cancellationToken)
        {
            if (query.DraftId is not { } draftId)
                return await evaluations.CeilingCheckAsync(unit.Id, query.Date ?? DateOnly.FromDateTime(clock.GetLocalNow().DateTime), 0m, cancellationToken);
            var draft = await invoices.GetAsync(draftId, cancellationToken);
            return draft is not null && user.CanSee(draft.Country) && draft.Evaluation?.AuthorRights is { Amount: > 0 } rights
                ? await evaluations.CeilingCheckAsync(draft.ProductionUnitId, draft.Date, rights.Amount - rights.AboveShareCap, cancellationToken)
                : null;
        }
    }
}
