using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

/// <summary>
/// What clients still owe on issued invoices, by how late it is on the day asked — not yet due, 1–30, 31–60, 61–90 and over 90 days past
/// the due date — for a country, and for each member whose units invoiced it, largest total first; CSV with every member.
/// </summary>
public class AgeingModel(IMediator mediator, TimeProvider clock) : PageModel
{
    public static readonly string[] Columns = ["MemberId", "Member", "NotDue", "Days1To30", "Days31To60", "Days61To90", "Over90", "Total"];

    /// <summary>The members shown on the page; the CSV has them all.</summary>
    public const int MembersShown = 100;

    public Result Ageing { get; private set; } = null!;

    public async Task OnGetAsync([FromQuery] Query query) => Ageing = await mediator.Send(query);

    public async Task<IActionResult> OnGetCsvAsync([FromQuery] Query query)
    {
        var data = await mediator.Send(query);
        return CsvExport.File($"receivables-ageing-{data.Country.ToLowerInvariant()}", clock, Columns, data.Members.ToAsyncEnumerable(), (csv, row) =>
        {
            csv.WriteField(row.MemberId);
            csv.WriteField(row.Member);
            foreach (var amount in row.Buckets.Amounts) csv.WriteField(amount);
            csv.WriteField(row.Buckets.Total);
        });
    }

    /// <summary>A country; none given, the user's first visible country (a partner's own).</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Country { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>Balances due by lateness; <see cref="Amounts"/> in the order of the columns.</summary>
    public sealed record Buckets(decimal NotDue, decimal Days1To30, decimal Days31To60, decimal Days61To90, decimal Over90)
    {
        public static readonly Buckets None = new(0m, 0m, 0m, 0m, 0m);
        public decimal Total => NotDue + Days1To30 + Days31To60 + Days61To90 + Over90;
        public IEnumerable<decimal> Amounts => [NotDue, Days1To30, Days31To60, Days61To90, Over90];

        public Buckets Add(decimal balance, int daysLate) => daysLate switch
        {
            <= 0 => this with { NotDue = NotDue + balance },
            <= 30 => this with { Days1To30 = Days1To30 + balance },
            <= 60 => this with { Days31To60 = Days31To60 + balance },
            <= 90 => this with { Days61To90 = Days61To90 + balance },
            _ => this with { Over90 = Over90 + balance },
        };
    }

    public sealed record MemberRow(int MemberId, string Member, Buckets Buckets);

    public sealed record Result(string Country, IReadOnlyList<string> Countries, DateOnly Today, Buckets Total, int Invoices, IReadOnlyList<MemberRow> Members,
        string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IProductionUnitStore units, IMemberStore members, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var countries = user.VisibleCountries;
            var country = string.IsNullOrWhiteSpace(query.Country) ? countries.FirstOrDefault() ?? "" : CountryCode.Normalise(query.Country);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var total = Buckets.None;
            var count = 0;
            var byUnit = new Dictionary<int, Buckets>();
            if (country.Length > 0)
                await foreach (var invoice in invoices.OpenAsync(CountryScope.Only(country), cancellationToken))
                {
                    if (invoice.BalanceDue <= 0m) continue;
                    var late = invoice.DaysLateOn(today);
                    total = total.Add(invoice.BalanceDue, late);
                    byUnit[invoice.ProductionUnitId] = byUnit.GetValueOrDefault(invoice.ProductionUnitId, Buckets.None).Add(invoice.BalanceDue, late);
                    count++;
                }

            var unitsById = await units.GetManyAsync(byUnit.Keys, cancellationToken);
            var byMember = new Dictionary<int, Buckets>();
            foreach (var (unitId, buckets) in byUnit)
            {
                var memberId = unitsById.GetValueOrDefault(unitId)?.MemberId ?? 0;
                var sum = byMember.GetValueOrDefault(memberId, Buckets.None);
                byMember[memberId] = new Buckets(sum.NotDue + buckets.NotDue, sum.Days1To30 + buckets.Days1To30, sum.Days31To60 + buckets.Days31To60,
                    sum.Days61To90 + buckets.Days61To90, sum.Over90 + buckets.Over90);
            }
            var names = await members.GetManyAsync(byMember.Keys, cancellationToken);
            var rows = byMember
                .Select(m => new MemberRow(m.Key, names.GetValueOrDefault(m.Key) is { } member ? $"{member.LastName}, {member.FirstName}" : "", m.Value))
                .OrderByDescending(r => r.Buckets.Over90).ThenByDescending(r => r.Buckets.Total).ThenBy(r => r.MemberId).ToList();
            var manifest = plugins.Find(country)?.Manifest;
            return new Result(country, countries, today, total, count, rows, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
        }
    }
}
