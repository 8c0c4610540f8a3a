using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Budget;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;

namespace Smart.Web.Pages.Guarantee;

/// <summary>
/// The 7-day salary guarantee of one country, by month: what it advanced to units whose balance could not pay a salary, what their
/// clients' payments recovered, what written-off invoices left it to bear, and what is still outstanding at each month's end. Read from
/// the units' ledgers, so it adds up to their guarantee entries.
/// </summary>
public class IndexModel(IMediator mediator, TimeProvider clock) : PageModel
{
    public static readonly string[] Columns = ["Month", "Advanced", "Recovered", "WrittenOff", "Outstanding"];

    public Result Guarantee { get; private set; } = null!;

    public async Task OnGetAsync([FromQuery] Query query) => Guarantee = await mediator.Send(query);

    public async Task<IActionResult> OnGetCsvAsync([FromQuery] Query query)
    {
        var data = await mediator.Send(query);
        return CsvExport.File($"salary-guarantee-{data.Country.ToLowerInvariant()}", clock, Columns, data.Months.ToAsyncEnumerable(), (csv, month) =>
        {
            csv.WriteField(month.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            csv.WriteField(month.Advanced, "");
            csv.WriteField(month.Recovered, "");
            csv.WriteField(month.WrittenOff, "");
            csv.WriteField(month.Outstanding, "");
        });
    }

    /// <summary>A country; none given, the user's first visible country (a partner's own).</summary>
    public sealed class Query : IRequest<Result>, IRequireRole, ICountryScoped
    {
        public string? Country { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <param name="Month">The first day of the month.</param>
    public sealed record MonthRow(DateOnly Month, decimal Advanced, decimal Recovered, decimal WrittenOff, decimal Outstanding);

    public sealed record Result(string Country, IReadOnlyList<string> Countries, IReadOnlyList<MonthRow> Months, string Currency, int MinorUnit)
    {
        public decimal Advanced => Months.Sum(m => m.Advanced);
        public decimal Recovered => Months.Sum(m => m.Recovered);
        public decimal WrittenOff => Months.Sum(m => m.WrittenOff);
        public decimal Outstanding => Advanced - Recovered - WrittenOff;
    }

    public sealed class Handler(ILedgerStore ledger, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var countries = user.VisibleCountries;
            var country = string.IsNullOrWhiteSpace(query.Country) ? countries.FirstOrDefault() ?? "" : CountryCode.Normalise(query.Country);
            var entries = country.Length == 0 ? [] : await ledger.GuaranteeEntriesAsync(country, cancellationToken);
            var months = new List<MonthRow>();
            var outstanding = 0m;
            foreach (var month in entries.GroupBy(e => new DateOnly(e.Date.Year, e.Date.Month, 1)).OrderBy(g => g.Key))
            {
                // An advance raises the entry's Advance figure; a recovery or a write-off lowers it.
                var advanced = month.Where(e => e.Kind == LedgerEntryKind.GuaranteeAdvance).Sum(e => e.Advance);
                var recovered = -month.Where(e => e.Kind == LedgerEntryKind.GuaranteeRecovery).Sum(e => e.Advance);
                var writtenOff = -month.Where(e => e.Kind == LedgerEntryKind.GuaranteeWrittenOff).Sum(e => e.Advance);
                outstanding += advanced - recovered - writtenOff;
                months.Add(new MonthRow(month.Key, advanced, recovered, writtenOff, outstanding));
            }
            var manifest = plugins.Find(country)?.Manifest;
            return new Result(country, countries, months, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
        }
    }
}
