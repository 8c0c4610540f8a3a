using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Rules.Evaluation;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Members;

public class DetailsModel(IMediator mediator) : PageModel
{
    public Result Member { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Member = await mediator.Send(new Query(id));

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>
    /// The member, their production units, the author-rights ceiling when they are near it, and their history. The author rights and the
    /// professional income of the year are the member record's figures plus the issued invoices' of the current year (less credit notes), where
    /// the part of author rights above a share cap (Belgium's 70/30) is professional income.
    /// </summary>
    public sealed record Result(Member Member, string Currency, int MinorUnit, IReadOnlyList<ProductionUnit> Units, int UnitTotal,
        decimal? NearCeiling, IReadOnlyList<AuditEntry> History, MemberIncome YearToDate, MemberIncome Issued,
        Smart.Web.Pages.Shared.ConnectedDocuments Documents)
    {
        public decimal AuthorRightsYearToDate => YearToDate.AuthorRights;
        public decimal AuthorRightsIssued => Issued.AuthorRights;
    }

    public sealed class Handler(IMemberStore members, IProductionUnitStore units, IAuditLog audit, CurrentUser user, DocumentEvaluator evaluator, TimeProvider clock,
        IInvoiceStore invoices, Smart.Web.Pages.Shared.ConnectedDocumentReader documents)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var member = await members.GetAsync(query.Id, cancellationToken);
            if (member is null || !user.CanSee(member.Country)) throw new NotFoundException($"No member {query.Id}.");
            var manifest = evaluator.Book.Plugins.Find(member.Country)?.Manifest;
            var owned = await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only(member.Country)) { MemberId = member.Id, Take = 100 }, cancellationToken);
            var history = await audit.ForEntityAsync(AuditedEntity.Member, member.Id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var issued = await invoices.IncomeIssuedAsync(member.Id, today.Year, cancellationToken);
            var yearToDate = EvaluationInputs.YearToDate(member, today.Year, issued, today);
            var connected = await documents.OfUnitsAsync(CountryScope.Only(member.Country), owned.Rows.Select(u => u.Id).ToList(), cancellationToken);
            return new Result(member, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2, owned.Rows, owned.Total,
                NearCeiling(member.Country, yearToDate.AuthorRights, today), history, yearToDate, issued, connected);
        }

        /// <summary>The ceiling in force today when the member's author rights are within 10 % of it (or above); null otherwise or when the country has none.</summary>
        private decimal? NearCeiling(string country, decimal yearToDate, DateOnly today) =>
            evaluator.AuthorRightsCeiling(country, today) is decimal ceiling
            && ceiling > 0 && yearToDate >= ceiling * 0.9m
                ? ceiling
                : null;
    }
}
