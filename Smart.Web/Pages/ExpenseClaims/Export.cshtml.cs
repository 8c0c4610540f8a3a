using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.ExpenseClaims;

namespace Smart.Web.Pages.ExpenseClaims;

/// <summary>The expense claim list as CSV, with the list's filters and order, streamed as the store reads it.</summary>
public class ExportModel(IMediator mediator, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, for spreadsheets and imports alike.</summary>
    public static readonly string[] Columns =
    [
        "Id", "Country", "ProductionUnitId", "MemberId", "Date", "Supplier", "Category", "Status", "Currency", "Amount", "Vat", "Kilometres",
        "RecoverableVat", "Reimbursed", "ChargedToUnit", "Days", "RefusalReason", "DecidedBy",
    ];

    public async Task<IActionResult> OnGetAsync([FromQuery] IndexModel.Query filter) =>
        CsvExport.File("expense-claims", clock, Columns, await mediator.Send(new Query(filter)), (csv, c) =>
        {
            var evaluation = c.Evaluation;
            csv.WriteField(c.Id, "");
            csv.WriteField(c.Country);
            csv.WriteField(c.ProductionUnitId, "");
            csv.WriteField(c.MemberId, "");
            csv.WriteField(c.Date, "");
            csv.WriteField(c.Supplier);
            csv.WriteField(c.Category);
            csv.WriteField(c.Status.ToString().ToLowerInvariant());
            csv.WriteField(evaluation?.Currency ?? "");
            // Amounts as numbers: only text is escaped against formulas.
            foreach (var amount in new[] { evaluation?.Amount ?? c.Amount, evaluation?.Vat ?? c.Vat, c.Kilometres, evaluation?.RecoverableVat, evaluation?.Reimbursed, c.ChargedToUnit })
                csv.WriteField(amount, "");
            csv.WriteField(c.Days, "");
            csv.WriteField(c.RefusalReason ?? "");
            csv.WriteField(c.DecidedBy ?? "");
        });

    /// <summary>The list's filters without its paging; the list's roles and country check apply.</summary>
    public sealed record Query(IndexModel.Query Filter) : IRequest<IAsyncEnumerable<ExpenseClaim>>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
        public string? Country => Filter.Country;
    }

    public sealed class Handler(IExpenseClaimStore claims, CurrentUser user) : IRequestHandler<Query, IAsyncEnumerable<ExpenseClaim>>
    {
        public Task<IAsyncEnumerable<ExpenseClaim>> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(claims.ExportAsync(query.Filter.ToStoreQuery(user), cancellationToken));
    }
}
