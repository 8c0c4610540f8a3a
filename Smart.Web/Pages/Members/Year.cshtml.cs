using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Members;

/// <summary>
/// A member's year for staff: each issued invoice's author rights, lump sum and withholding as applied (its stored evaluation, with when it was
/// made and the rule-set versions it used) and as due with the rules as known now, the year's totals and the differences. What a late publication
/// changed for this member, invoice by invoice; printable. Authorised as the member's page is: by role and by the member's country.
/// </summary>
public class YearModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Year { get; private set; } = null!;

    public async Task OnGetAsync(int id, int year) => Year = await mediator.Send(new Query(id, year));

    /// <summary>The same year as a PDF, in the reader's language.</summary>
    public async Task<IActionResult> OnGetPdfAsync(int id, int year)
    {
        var data = await mediator.Send(new Query(id, year));
        var texts = PageResources.For(typeof(YearModel), localizers);
        return File(YearPdf.Render(data, t => texts[t], CultureInfo.CurrentCulture), "application/pdf",
            string.Create(CultureInfo.InvariantCulture, $"author-rights-{data.Member.Id}-{data.Year}.pdf"));
    }

    public sealed record Query(int Id, int Year) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>One side of an invoice's author rights: amount, lump sum, withholding (zero where it has none).</summary>
    public sealed record Rights(decimal Amount, decimal LumpSum, decimal Withholding)
    {
        public static readonly Rights None = new(0m, 0m, 0m);

        public static Rights Of(InvoiceEvaluation? evaluation) => evaluation?.AuthorRights is { } a ? new(a.Amount, a.LumpSumDeduction, a.Withholding) : None;

        public static Rights operator +(Rights a, Rights b) => new(a.Amount + b.Amount, a.LumpSum + b.LumpSum, a.Withholding + b.Withholding);

        public static Rights operator -(Rights a, Rights b) => new(a.Amount - b.Amount, a.LumpSum - b.LumpSum, a.Withholding - b.Withholding);
    }

    /// <param name="KnownOn">When the stored evaluation was made (its knowledge date), null when it does not say.</param>
    /// <param name="AppliedVersions">The author-rights rule-set versions the stored evaluation used; <paramref name="DueVersions"/> those used now.</param>
    /// <param name="DueError">Why the rules as known now cannot evaluate it (then the due side is empty).</param>
    public sealed record Row(int InvoiceId, string? Number, DateOnly Date, string Status, bool IsCreditNote, Rights Applied, Rights Due, DateTime? KnownOn,
        IReadOnlyList<RuleSetUsed> AppliedVersions, IReadOnlyList<RuleSetUsed> DueVersions, string? DueError)
    {
        public Rights Difference => Due - Applied;
        public bool Differs => Difference != Rights.None;
    }

    /// <param name="Statements">The correction runs' regularisation statements of this member's year, newest run first.</param>
    public sealed record Result(Member Member, int Year, string Currency, IReadOnlyList<Row> Rows, DateTimeOffset Now,
        IReadOnlyList<Smart.Web.Corrections.RegularisationStatement>? Statements = null)
    {
        public Rights Applied => Rows.Aggregate(Rights.None, (sum, r) => sum + r.Applied);
        public Rights Due => Rows.Aggregate(Rights.None, (sum, r) => sum + r.Due);
        public Rights Difference => Due - Applied;
    }

    public sealed class Handler(IMemberStore members, IProductionUnitStore units, IInvoiceStore invoices, IssuedEvaluations issued, CurrentUser user,
        DocumentEvaluator evaluator, TimeProvider clock, Smart.Web.Corrections.ICorrectionStore corrections) : IRequestHandler<Query, Result>
    {
        /// <summary>More invoices than a member issues in a year: the page stays one read.</summary>
        private const int MaxInvoices = 1000;

        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var member = await members.GetAsync(query.Id, cancellationToken);
            if (member is null || !user.CanSee(member.Country)) throw new NotFoundException($"No member {query.Id}.");
            var scope = CountryScope.Only(member.Country);
            var owned = await units.SearchAsync(new ProductionUnitQuery(scope) { MemberId = member.Id, Take = 100 }, cancellationToken);
            var found = new List<Invoice>();
            foreach (var unit in owned.Rows)
            {
                var ids = (await invoices.SearchAsync(new InvoiceQuery(scope)
                {
                    ProductionUnitId = unit.Id, From = new DateOnly(query.Year, 1, 1), To = new DateOnly(query.Year, 12, 31), Take = MaxInvoices,
                }, cancellationToken)).Rows.Where(i => i.Status != InvoiceStatus.Draft).Select(i => i.Id);
                // Read whole: a list row may not carry its evaluation.
                foreach (var id in ids)
                    if (await invoices.GetAsync(id, cancellationToken) is { Evaluation: not null } invoice) found.Add(invoice);
            }
            found = [.. found.OrderBy(i => i.Date).ThenBy(i => i.Id)];
            var evaluated = await issued.AsEvaluatedAsync(found, cancellationToken);
            var rows = new List<Row>();
            foreach (var invoice in found)
            {
                var stored = invoice.Evaluation!;
                var now = issued.Document(evaluated[invoice.Id], stored) is { } document ? issued.DueNow(invoice, document, explain: false) : null;
                rows.Add(new Row(invoice.Id, invoice.Number, invoice.Date, invoice.Status.ToString(), invoice.IsCreditNote, Rights.Of(stored), Rights.Of(now?.Value),
                    IssuedEvaluations.KnownOn(stored), AuthorRightsSets(stored.Rulesets), AuthorRightsSets(now?.Value?.Rulesets ?? []),
                    now is null ? "—" : now.Value is null ? string.Join("; ", now.Errors.Concat(now.NotCovered).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : null));
            }
            var currency = evaluator.Book.Plugins.Find(member.Country)?.Manifest.Currency ?? found.FirstOrDefault()?.Evaluation?.Currency ?? "EUR";
            return new Result(member, query.Year, currency, rows, clock.GetUtcNow(), await corrections.StatementsOfAsync(member.Id, query.Year, cancellationToken));
        }

        private static List<RuleSetUsed> AuthorRightsSets(IReadOnlyList<RuleSetUsed> used) =>
            [.. used.Where(r => r.Id.Contains(Topics.AuthorRights, StringComparison.Ordinal))];
    }
}
