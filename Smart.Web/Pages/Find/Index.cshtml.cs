using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Find;

/// <summary>
/// The top bar's search (members, production units, clients, invoices, contracts) and the small JSON lists the pickers of member,
/// production unit and client ask as the user types (<c>/Find?handler=Units&amp;q=…</c>). Both read the stores' own searches, scoped
/// to the countries the user may see.
/// </summary>
public class IndexModel(IMediator mediator) : PageModel
{
    public Query Filter { get; private set; } = new(null);
    public Result Found { get; private set; } = Result.Empty;

    public async Task OnGetAsync(Query query)
    {
        Filter = query;
        Found = await mediator.Send(query);
    }

    public Task<IActionResult> OnGetMembersAsync(string? q) => PickAsync(new Pick(Picked.Member, q, null));

    public Task<IActionResult> OnGetUnitsAsync(string? q, string? country) => PickAsync(new Pick(Picked.Unit, q, country));

    public Task<IActionResult> OnGetClientsAsync(string? q, string? country) => PickAsync(new Pick(Picked.Client, q, country));

    /// <summary>A bad query is a 400 problem naming the query-string field, as the API answers, not the HTML page.</summary>
    private async Task<IActionResult> PickAsync(Pick pick)
    {
        try
        {
            return new JsonResult(await mediator.Send(pick));
        }
        catch (RequestValidationException invalid)
        {
            var problem = new ValidationProblemDetails(invalid.Errors.ToDictionary(e => e.Key.ToLowerInvariant(), e => e.Value)) { Status = StatusCodes.Status400BadRequest };
            return new BadRequestObjectResult(problem) { ContentTypes = { "application/problem+json" } };
        }
    }

    public const int MaxQueryLength = 100;

    /// <summary>What the user typed in the top bar; nothing typed shows an empty page.</summary>
    public sealed record Query([StringLength(MaxQueryLength)] string? Q) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(IReadOnlyList<Choice> Members, IReadOnlyList<Choice> Units, IReadOnlyList<Choice> Clients, ConnectedDocuments Documents)
    {
        public static Result Empty { get; } = new([], [], [], ConnectedDocuments.None);
        public bool IsEmpty => Members.Count + Units.Count + Clients.Count + Documents.Invoices.Count + Documents.Contracts.Count == 0;
    }

    public enum Picked { Member, Unit, Client }

    /// <summary>One picker's query: at least one character; <see cref="Country"/> keeps the choices to one country (a client of the unit's).</summary>
    public sealed record Pick(Picked Kind, [property: Required, StringLength(MaxQueryLength)] string? Q,
        [property: RegularExpression("^[A-Za-z]{2}$")] string? Country) : IRequest<IReadOnlyList<Choice>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        // Only a well-formed code is authorised here; anything else is refused by the validation step, naming the field.
        string? ICountryScoped.Country => CountryCode.IsWellFormed(Country) ? CountryCode.Parse(Country).Value : null;
    }

    /// <summary>A record a picker or the search page offers: its id, what the user reads, and its country.</summary>
    public sealed record Choice(int Id, string Label, string Country, string? Detail);

    public sealed class PickHandler(Finder finder, CurrentUser user) : IRequestHandler<Pick, IReadOnlyList<Choice>>
    {
        public async Task<IReadOnlyList<Choice>> Handle(Pick pick, CancellationToken cancellationToken)
        {
            var scope = string.IsNullOrWhiteSpace(pick.Country) ? CountryScope.Of(user) : CountryScope.Only(pick.Country);
            return pick.Kind switch
            {
                Picked.Member => await finder.MembersAsync(scope, pick.Q!, 20, cancellationToken),
                Picked.Unit => await finder.UnitsAsync(scope, pick.Q!, 20, cancellationToken),
                _ => await finder.ClientsAsync(scope, pick.Q!, 20, cancellationToken),
            };
        }
    }

    public sealed class Handler(Finder finder, IInvoiceStore invoices, IContractStore contracts, ConnectedDocumentReader documents, CurrentUser user,
        PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        private const int Shown = 10;

        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(query.Q)) return Result.Empty;
            var scope = CountryScope.Of(user);
            var q = query.Q.Trim();
            var members = await finder.MembersAsync(scope, q, Shown, cancellationToken);
            var found = await finder.UnitsAsync(scope, q, Shown, cancellationToken);
            var clients = await finder.ClientsAsync(scope, q, Shown, cancellationToken);
            var invoiceRows = await documents.InvoiceRowsAsync(await InvoicesAsync(scope, q, cancellationToken), cancellationToken);
            var contractRows = await documents.ContractRowsAsync(await ContractsAsync(scope, found, cancellationToken), cancellationToken);
            return new Result(members, found, clients, new ConnectedDocuments(invoiceRows, invoiceRows.Count, contractRows, contractRows.Count));
        }

        /// <summary>Invoices by number, by the payment reference printed on them (a structured communication), or by their total.</summary>
        private async Task<IReadOnlyList<Invoice>> InvoicesAsync(CountryScope scope, string q, CancellationToken cancellationToken)
        {
            var matches = new List<Invoice>();
            foreach (var number in NumbersMeant(q))
                if (await invoices.FindByNumberAsync(number, cancellationToken) is { } invoice && scope.Includes(invoice.Country))
                    matches.Add(invoice);
            foreach (var amount in AmountsMeant(q))
                matches.AddRange((await invoices.SearchAsync(new InvoiceQuery(scope) { Total = amount, Take = Shown }, cancellationToken)).Rows);
            return matches.DistinctBy(i => i.Id).Take(Shown).ToList();
        }

        /// <summary>
        /// The invoice numbers a query may mean: itself ("be-2026-000012"), and the number whose payment reference it is, in each visible
        /// country, checked by making that country's reference again from the number (so no country's reference format is written here).
        /// </summary>
        private IEnumerable<string> NumbersMeant(string q)
        {
            yield return q.ToUpperInvariant();
            var digits = new string(q.Where(char.IsAsciiDigit).ToArray());
            if (digits.Length < 7 || digits.Length > 18 || q.Any(char.IsLetter)) yield break;
            foreach (var info in plugins.Plugins)
            {
                if (!user.CanSee(info.Manifest.Country)) continue;
                foreach (var candidate in new[] { digits.Length > 10 ? digits[..10] : null, digits }.OfType<string>().Distinct())
                {
                    var referenceBase = long.Parse(candidate, CultureInfo.InvariantCulture);
                    string reference;
                    try { reference = info.Plugin.PaymentReference(referenceBase); }
                    catch (ArgumentOutOfRangeException) { continue; }
                    if (new string(reference.Where(char.IsAsciiDigit).ToArray()) != digits) continue;
                    // The inverse of PrintModel.ReferenceBase: year × 1 000 000 + sequence.
                    var (year, sequence) = Math.DivRem(referenceBase, 1_000_000L);
                    yield return string.Create(CultureInfo.InvariantCulture, $"{info.Manifest.Country}-{year}-{sequence:000000}");
                }
            }
        }

        /// <summary>
        /// The totals a query may mean, read as the forms read numbers (<see cref="Localization.DecimalText"/>: "1.250,50", "1250.50"); "1.500"
        /// could be either reading, so both are searched. A currency sign is ignored; a word is no amount.
        /// </summary>
        private static IEnumerable<decimal> AmountsMeant(string q)
        {
            var typed = new string(q.Where(c => c != '€' && !char.IsWhiteSpace(c)).ToArray());
            switch (Localization.DecimalText.TryParse(typed, out var amount))
            {
                case Localization.DecimalText.Problem.None when amount > 0:
                    yield return amount;
                    break;
                case Localization.DecimalText.Problem.Ambiguous:
                    yield return decimal.Parse(typed.Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                    yield return decimal.Parse(typed, CultureInfo.InvariantCulture);
                    break;
            }
        }

        /// <summary>The contracts of the production units found.</summary>
        private async Task<IReadOnlyList<Contract>> ContractsAsync(CountryScope scope, IReadOnlyList<Choice> found, CancellationToken cancellationToken)
        {
            var rows = new List<Contract>();
            foreach (var unit in found.Take(5))
                rows.AddRange((await contracts.SearchAsync(new ContractQuery(scope) { ProductionUnitId = unit.Id, Descending = true, Take = Shown }, cancellationToken)).Rows);
            return rows.OrderByDescending(c => c.StartDate).ThenByDescending(c => c.Id).Take(Shown).ToList();
        }
    }
}
