using System.Globalization;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Find;

/// <summary>
/// Members, production units and clients matching what a user typed, through the stores' own word searches (<see cref="SearchWords"/>):
/// a number finds the record of that number; a unit is found by its name or by its member's name, since staff know the member first.
/// </summary>
public sealed class Finder(IMemberStore members, IProductionUnitStore units, IClientStore clients)
{
    public async Task<IReadOnlyList<IndexModel.Choice>> MembersAsync(CountryScope scope, string q, int take, CancellationToken cancellationToken)
    {
        var found = new List<Member>();
        if (IdOf(q) is { } id && await members.GetAsync(id, cancellationToken) is { } byId && scope.Includes(byId.Country)) found.Add(byId);
        found.AddRange((await members.SearchAsync(new MemberQuery(scope) { Search = q, Take = take }, cancellationToken)).Rows);
        return found.DistinctBy(m => m.Id).Take(take).Select(m => new IndexModel.Choice(m.Id, m.Name, m.Country, m.Email)).ToList();
    }

    public async Task<IReadOnlyList<IndexModel.Choice>> UnitsAsync(CountryScope scope, string q, int take, CancellationToken cancellationToken)
    {
        var found = new List<ProductionUnit>();
        if (IdOf(q) is { } id && await units.GetAsync(id, cancellationToken) is { } byId && scope.Includes(byId.Country)) found.Add(byId);
        found.AddRange((await units.SearchAsync(new ProductionUnitQuery(scope) { Search = q, Take = take }, cancellationToken)).Rows);
        // The units of the first few members whose name matches: "dupont" finds Dupont's units whatever they are called.
        foreach (var member in (await members.SearchAsync(new MemberQuery(scope) { Search = q, Take = 5 }, cancellationToken)).Rows)
        {
            if (found.Count >= take) break;
            found.AddRange((await units.SearchAsync(new ProductionUnitQuery(scope) { MemberId = member.Id, Take = take }, cancellationToken)).Rows);
        }
        var distinct = found.DistinctBy(u => u.Id).Take(take).ToList();
        var owners = await members.GetManyAsync(distinct.Select(u => u.MemberId).Distinct().ToList(), cancellationToken);
        return distinct.Select(u => new IndexModel.Choice(u.Id, u.Name, u.Country,
            owners.TryGetValue(u.MemberId, out var owner) && scope.Includes(owner.Country) ? owner.Name : null)).ToList();
    }

    public async Task<IReadOnlyList<IndexModel.Choice>> ClientsAsync(CountryScope scope, string q, int take, CancellationToken cancellationToken)
    {
        var found = new List<Client>();
        if (IdOf(q) is { } id && await clients.GetAsync(id, cancellationToken) is { } byId && scope.Includes(byId.Country)) found.Add(byId);
        found.AddRange((await clients.SearchAsync(new ClientQuery(scope) { Search = q, Take = take }, cancellationToken)).Rows);
        return found.DistinctBy(c => c.Id).Take(take)
            .Select(c => new IndexModel.Choice(c.Id, c.Name, c.Country, string.Join(" · ", new[] { c.VatNumber ?? c.CompanyNumber, c.City }.Where(t => !string.IsNullOrWhiteSpace(t)))))
            .ToList();
    }

    /// <summary>"123" or "#123": the record numbered so.</summary>
    private static int? IdOf(string q) =>
        int.TryParse(q.Trim().TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
}
