using Smart.Rules.Plugins;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Shared;

/// <summary>
/// The invoices and contracts of a member, a production unit or a client, newest first, as their pages and the search page list them
/// (<c>_ConnectedDocuments.cshtml</c>): each with its status today and, for an invoice, what is left to pay.
/// </summary>
public sealed record ConnectedDocuments(IReadOnlyList<ConnectedDocuments.InvoiceRow> Invoices, int InvoiceCount,
    IReadOnlyList<ConnectedDocuments.ContractRow> Contracts, int ContractCount)
{
    public const int Shown = 10;

    public static ConnectedDocuments None { get; } = new([], 0, [], 0);

    /// <summary>Whether the record can have contracts at all (a client has none: a contract is between a unit and its member).</summary>
    public bool HasContracts { get; init; } = true;

    /// <summary>The invoice list filtered to this record, for the "all invoices" link; null when the list cannot filter so (a member's several units).</summary>
    public IDictionary<string, string>? InvoiceListRoute { get; init; }

    /// <summary>The contract list filtered to this record, as <see cref="InvoiceListRoute"/>.</summary>
    public IDictionary<string, string>? ContractListRoute { get; init; }

    public sealed record InvoiceRow(int Id, string? Number, string Country, DateOnly Date, InvoiceStatus Status, int ProductionUnitId, string? UnitName,
        int ClientId, string? ClientName, decimal? Total, decimal BalanceDue, string Currency, int MinorUnit);

    public sealed record ContractRow(int Id, string Country, int ProductionUnitId, string? UnitName, DateOnly StartDate, ContractStatus Status,
        decimal Budget, string Currency, int MinorUnit);
}

/// <summary>Reads <see cref="ConnectedDocuments"/> through the stores' searches, in the scope the caller checked.</summary>
public sealed class ConnectedDocumentReader(IInvoiceStore invoices, IContractStore contracts, IProductionUnitStore units, IClientStore clients,
    PluginCatalog plugins, TimeProvider clock)
{
    /// <summary>The documents of these production units (one unit's page, or a member's units).</summary>
    public async Task<ConnectedDocuments> OfUnitsAsync(CountryScope scope, IReadOnlyCollection<int> unitIds, CancellationToken cancellationToken)
    {
        var foundInvoices = new List<Invoice>();
        var foundContracts = new List<Contract>();
        var (invoiceCount, contractCount) = (0, 0);
        // A member has a few units: one indexed search each, then the newest of all.
        foreach (var unitId in unitIds)
        {
            var unitInvoices = await invoices.SearchAsync(new InvoiceQuery(scope) { ProductionUnitId = unitId, Descending = true, Take = ConnectedDocuments.Shown }, cancellationToken);
            foundInvoices.AddRange(unitInvoices.Rows);
            invoiceCount += unitInvoices.Total;
            var unitContracts = await contracts.SearchAsync(new ContractQuery(scope) { ProductionUnitId = unitId, Descending = true, Take = ConnectedDocuments.Shown }, cancellationToken);
            foundContracts.AddRange(unitContracts.Rows);
            contractCount += unitContracts.Total;
        }
        return new ConnectedDocuments(
            await InvoiceRowsAsync(foundInvoices.OrderByDescending(i => i.Date).ThenByDescending(i => i.Id).Take(ConnectedDocuments.Shown).ToList(), cancellationToken), invoiceCount,
            await ContractRowsAsync(foundContracts.OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Take(ConnectedDocuments.Shown).ToList(), cancellationToken), contractCount);
    }

    /// <summary>A client's invoices.</summary>
    public async Task<ConnectedDocuments> OfClientAsync(CountryScope scope, int clientId, CancellationToken cancellationToken)
    {
        var found = await invoices.SearchAsync(new InvoiceQuery(scope) { ClientId = clientId, Descending = true, Take = ConnectedDocuments.Shown }, cancellationToken);
        return new ConnectedDocuments(await InvoiceRowsAsync(found.Rows, cancellationToken), found.Total, [], 0) { HasContracts = false };
    }

    public async Task<IReadOnlyList<ConnectedDocuments.InvoiceRow>> InvoiceRowsAsync(IReadOnlyList<Invoice> found, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var unitNames = await units.GetManyAsync(found.Select(i => i.ProductionUnitId).Distinct().ToList(), cancellationToken);
        var clientNames = await clients.GetManyAsync(found.Select(i => i.ClientId).Distinct().ToList(), cancellationToken);
        return found.Select(i =>
        {
            var (currency, minorUnit) = CurrencyOf(i.Country);
            return new ConnectedDocuments.InvoiceRow(i.Id, i.Number, i.Country, i.Date, i.StatusOn(today), i.ProductionUnitId, unitNames.GetValueOrDefault(i.ProductionUnitId)?.Name,
                i.ClientId, clientNames.GetValueOrDefault(i.ClientId)?.Name, i.Evaluation?.Totals.Gross, i.BalanceDue, currency, minorUnit);
        }).ToList();
    }

    public async Task<IReadOnlyList<ConnectedDocuments.ContractRow>> ContractRowsAsync(IReadOnlyList<Contract> found, CancellationToken cancellationToken)
    {
        var unitNames = await units.GetManyAsync(found.Select(c => c.ProductionUnitId).Distinct().ToList(), cancellationToken);
        return found.Select(c =>
        {
            var (currency, minorUnit) = CurrencyOf(c.Country);
            return new ConnectedDocuments.ContractRow(c.Id, c.Country, c.ProductionUnitId, unitNames.GetValueOrDefault(c.ProductionUnitId)?.Name, c.StartDate, c.Status,
                c.Budget, currency, minorUnit);
        }).ToList();
    }

    private (string Currency, int MinorUnit) CurrencyOf(string country) =>
        plugins.Find(country)?.Manifest is { } manifest ? (manifest.Currency, manifest.MinorUnit) : ("EUR", 2);
}
