using System.ComponentModel.DataAnnotations;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ExpenseClaims;

public class DetailsModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Claim { get; private set; } = null!;

    [BindProperty] public Approve Approval { get; set; } = new();
    [BindProperty] public Refuse Refusal { get; set; } = new();

    public async Task OnGetAsync(int id) => Claim = await mediator.Send(new Query(id));

    public async Task<IActionResult> OnPostApproveAsync(int id)
    {
        Claim = await mediator.Send(new Query(id));
        Approval.Id = id;
        await mediator.Send(Approval);
        TempData["Message"] = Texts["Expense claim {0} approved.", id].Value;
        return RedirectToPage("Details", new { id });
    }

    public async Task<IActionResult> OnPostRefuseAsync(int id)
    {
        Claim = await mediator.Send(new Query(id));
        Refusal.Id = id;
        await mediator.Send(Refusal);
        TempData["Message"] = Texts["Expense claim {0} refused.", id].Value;
        return RedirectToPage("Details", new { id });
    }

    /// <summary>The receipt as stored, shown in the page (an image) or opened by the browser (a PDF), with the type its bytes say.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(int id)
    {
        if (await mediator.Send(new ReceiptQuery(id)) is not { } receipt) return NotFound();
        Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("inline") { FileName = receipt.FileName }.ToString();
        return File(receipt.Content, receipt.ContentType);
    }

    private IStringLocalizer Texts => PageResources.For(typeof(DetailsModel), localizers);

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(ExpenseClaim Claim, ProductionUnit? Unit, Member? Member, string CategoryName, string Currency, int MinorUnit,
        IReadOnlyList<AuditEntry> History);

    public sealed class Handler(IExpenseClaimStore claims, IProductionUnitStore units, IMemberStore members, IAuditLog audit, CurrentUser user,
        PluginCatalog plugins, IMediator mediator) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var claim = await claims.GetAsync(query.Id, cancellationToken);
            if (claim is null || !user.CanSee(claim.Country)) throw new NotFoundException($"No expense claim {query.Id}.");
            var unit = await units.GetAsync(claim.ProductionUnitId, cancellationToken);
            var member = await members.GetAsync(claim.MemberId, cancellationToken);
            var names = await mediator.Send(new IndexModel.CategoriesQuery(), cancellationToken);
            var manifest = plugins.Find(claim.Country)?.Manifest;
            var history = await audit.ForEntityAsync(LiteDbExpenseClaimStore.AuditedEntityType, claim.Id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            return new Result(claim, unit, member is not null && user.CanSee(member.Country) ? member : null, names.NameOf(claim.Country, claim.Category),
                claim.Evaluation?.Currency ?? manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2, history);
        }
    }

    public sealed record ReceiptQuery(int Id) : IRequest<ExpenseReceipt?>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class ReceiptHandler(IExpenseClaimStore claims, CurrentUser user) : IRequestHandler<ReceiptQuery, ExpenseReceipt?>
    {
        public async Task<ExpenseReceipt?> Handle(ReceiptQuery query, CancellationToken cancellationToken)
        {
            var claim = await claims.GetAsync(query.Id, cancellationToken);
            if (claim is null || !user.CanSee(claim.Country)) throw new NotFoundException($"No expense claim {query.Id}.");
            return await claims.ReceiptAsync(claim.Id, cancellationToken);
        }
    }

    /// <summary>A decision on a submitted claim, at the version the deciding person read; it is final, so the form asks to confirm it.</summary>
    public abstract class Decision
    {
        public int Id { get; set; }
        public int Version { get; set; }

        [Display(Name = "I confirm: this decision is final")]
        public bool Confirmed { get; set; }

        internal static async Task<ExpenseClaim> SubmittedClaimAsync<TDecision>(IExpenseClaimStore claims, CurrentUser user, int id, IStringLocalizer texts,
            CancellationToken cancellationToken)
        {
            var claim = await claims.GetAsync(id, cancellationToken);
            if (claim is null || !user.CanSee(claim.Country)) throw new NotFoundException($"No expense claim {id}.");
            if (claim.Status != ExpenseClaimStatus.Submitted)
                throw RequestValidationException.For<TDecision>("", texts["This claim was already decided."]);
            return claim;
        }

        internal static RequestValidationException Unconfirmed<TDecision>(IStringLocalizer texts) =>
            RequestValidationException.For<TDecision>(nameof(Confirmed), texts["Tick the box to confirm: a decision cannot be undone."]);

        internal static ExpenseClaim Decided<TDecision>(UpdateOutcome<ExpenseClaim> outcome, IStringLocalizer texts) => outcome.Updated
            ? outcome.Current!
            : throw RequestValidationException.For<TDecision>("", texts["The claim changed or was decided since you opened it: see it again."]);
    }

    public sealed class Approve : Decision, IRequest<ExpenseClaim>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class Refuse : Decision, IRequest<ExpenseClaim>, IRequireRole
    {
        [Display(Name = "Reason for refusing")]
        public string? Reason { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>
    /// Approving is where the claim reaches the unit's money. LEDGER (issue 18 item 1): when the unit's ledger exists, this handler is the one place
    /// to (1) replace <see cref="AvailableForClaimAsync"/> by the ledger's available balance and (2) write the ledger entry — source "expense-claim"
    /// <see cref="ExpenseClaim.Id"/>, amount <see cref="ExpenseClaim.ChargedToUnit"/> — in the same transaction as the status change
    /// (<see cref="IExpenseClaimStore.DecideAsync"/>), so a claim is never approved without its entry nor charged twice.
    /// </summary>
    public sealed class ApproveHandler(IExpenseClaimStore claims, PluginCatalog plugins, CurrentUser user,
        IStringLocalizerFactory localizers) : IRequestHandler<Approve, ExpenseClaim>
    {
        public async Task<ExpenseClaim> Handle(Approve request, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var claim = await Decision.SubmittedClaimAsync<Approve>(claims, user, request.Id, texts, cancellationToken);
            if (!request.Confirmed) throw Decision.Unconfirmed<Approve>(texts);
            try
            {
                // The store checks the unit's available budget (ledger balance less contract holds) inside the approval's transaction.
                return Decision.Decided<Approve>(await claims.DecideAsync(claim.Id, request.Version, ExpenseClaimStatus.Approved, null, new AuditActor(user.Email), cancellationToken), texts);
            }
            catch (Budget.BudgetExceededException exceeded)
            {
                throw RequestValidationException.For<Approve>("", texts[
                    "The production unit has {0} available: this claim would exceed its budget. Refuse it, or approve it once the unit's budget allows.",
                    Money.Format(Math.Max(0m, exceeded.Available), claim.Evaluation?.Currency ?? "EUR", minorUnit: plugins.Find(claim.Country)?.Manifest.MinorUnit ?? 2)]);
            }
        }
    }

    public sealed class RefuseHandler(IExpenseClaimStore claims, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Refuse, ExpenseClaim>
    {
        public async Task<ExpenseClaim> Handle(Refuse request, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var claim = await Decision.SubmittedClaimAsync<Refuse>(claims, user, request.Id, texts, cancellationToken);
            var reason = request.Reason?.Trim() ?? "";
            if (reason.Length == 0) throw RequestValidationException.For<Refuse>(nameof(Refuse.Reason), texts["Give the reason for refusing: the member reads it."]);
            if (reason.Length > 1000) throw RequestValidationException.For<Refuse>(nameof(Refuse.Reason), texts["The reason is longer than 1,000 characters."]);
            if (!request.Confirmed) throw Decision.Unconfirmed<Refuse>(texts);
            return Decision.Decided<Refuse>(await claims.DecideAsync(claim.Id, request.Version, ExpenseClaimStatus.Refused, reason, new AuditActor(user.Email), cancellationToken), texts);
        }
    }
}
