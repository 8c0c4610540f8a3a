using Smart.Rules.Evaluation;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Storage.Invoices;

/// <summary>
/// Reads what an invoice's evaluation needs besides the invoice: its production unit's member, its client, and the member's income of the
/// invoice's year. Saving or issuing a draft, re-evaluating drafts and simulating a draft rule set all read through here, so the three build
/// the same input for the same invoice. A record is read once for this loader's life (a request, a job's execution: a snapshot), one query per
/// kind for each batch's records not read yet.
/// </summary>
public sealed class InvoiceInputs(IProductionUnitStore units, IClientStore clients, IMemberStore members, IInvoiceStore invoices, TimeProvider clock)
{
    private readonly Dictionary<int, ProductionUnit?> unitOf = [];
    private readonly Dictionary<int, Client?> clientOf = [];
    private readonly Dictionary<int, Member?> memberOf = [];
    private readonly Dictionary<(int MemberId, int Year), MemberIncome> issuedOf = [];

    /// <summary>Reads what these invoices need and was not read before.</summary>
    public async Task LoadAsync(IReadOnlyCollection<Invoice> batch, CancellationToken cancellationToken)
    {
        await ReadMissingAsync(unitOf, batch.Select(i => i.ProductionUnitId), units.GetManyAsync, cancellationToken);
        await ReadMissingAsync(clientOf, batch.Select(i => i.ClientId), clients.GetManyAsync, cancellationToken);
        await ReadMissingAsync(memberOf, batch.Select(i => MemberIdOf(i) ?? 0).Where(id => id != 0), members.GetManyAsync, cancellationToken);
        var years = batch.Where(i => MemberIdOf(i) is not null).Select(i => (MemberId: MemberIdOf(i)!.Value, i.Date.Year)).Where(k => !issuedOf.ContainsKey(k)).ToHashSet();
        if (years.Count == 0) return;
        var found = await invoices.IncomeIssuedAsync(years, cancellationToken);
        foreach (var key in years) issuedOf[key] = found.GetValueOrDefault(key, MemberIncome.None);
    }

    /// <summary>
    /// The input of an invoice loaded before: its year-to-date is the issued invoices' of that year (less credit notes), plus the member
    /// record's figures for the current year. Null when its production unit or client no longer exists.
    /// </summary>
    public InvoiceDocument? Document(Invoice invoice)
    {
        if (unitOf.GetValueOrDefault(invoice.ProductionUnitId) is not { } unit || clientOf.GetValueOrDefault(invoice.ClientId) is not { } client) return null;
        var member = memberOf.GetValueOrDefault(unit.MemberId);
        var yearToDate = member is null ? MemberIncome.None
            : EvaluationInputs.YearToDate(member, invoice.Date.Year, issuedOf.GetValueOrDefault((member.Id, invoice.Date.Year), MemberIncome.None),
                DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        return EvaluationInputs.Invoice(invoice, client, member, yearToDate);
    }

    /// <summary>The member running the production unit of an invoice loaded before; null when the unit or the member is gone.</summary>
    public Member? MemberOf(Invoice invoice) => MemberIdOf(invoice) is { } id ? memberOf.GetValueOrDefault(id) : null;

    private int? MemberIdOf(Invoice invoice) => unitOf.GetValueOrDefault(invoice.ProductionUnitId)?.MemberId;

    private static async Task ReadMissingAsync<T>(Dictionary<int, T?> cache, IEnumerable<int> ids,
        Func<IReadOnlyCollection<int>, CancellationToken, Task<IReadOnlyDictionary<int, T>>> read, CancellationToken cancellationToken) where T : class
    {
        var missing = ids.Where(id => !cache.ContainsKey(id)).ToHashSet();
        if (missing.Count == 0) return;
        var found = await read(missing, cancellationToken);
        foreach (var id in missing) cache[id] = found.GetValueOrDefault(id);
    }
}
