using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.BankStatements;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.BankStatements;

/// <summary>
/// Money received that no rule could pin on one invoice, oldest first: a person records it as a payment of the invoice they find, or
/// dismisses it with a reason (a grant, a supplier's refund…).
/// </summary>
public class WaitingModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Decision Data { get; set; } = new();

    public IReadOnlyList<StatementLine> Lines { get; private set; } = [];

    public async Task OnGetAsync() => Lines = await mediator.Send(new Query());

    public Task<IActionResult> OnPostAssignAsync() => DecideAsync(assign: true);

    public Task<IActionResult> OnPostDismissAsync() => DecideAsync(assign: false);

    private async Task<IActionResult> DecideAsync(bool assign)
    {
        Lines = await mediator.Send(new Query());
        Data.Assign = assign;
        var decided = await mediator.Send(Data);
        var texts = PageResources.For(typeof(WaitingModel), localizers);
        TempData["Message"] = decided.Status == StatementLineStatus.Matched
            ? texts["Payment recorded on invoice {0}.", decided.InvoiceNumber ?? ""].Value
            : texts["Marked as not an invoice payment."].Value;
        return RedirectToPage();
    }

    public sealed class Query : IRequest<IReadOnlyList<StatementLine>>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(IBankStatementStore statements, CurrentUser user) : IRequestHandler<Query, IReadOnlyList<StatementLine>>
    {
        public Task<IReadOnlyList<StatementLine>> Handle(Query query, CancellationToken cancellationToken) =>
            statements.WaitingAsync(CountryScope.Of(user), cancellationToken);
    }

    /// <summary>A person's decision on a waiting line: the invoice it pays, or why it pays none.</summary>
    public sealed class Decision : IRequest<StatementLine>, IRequireRole, IValidatableObject
    {
        public int LineId { get; set; }
        public int Version { get; set; }
        /// <summary>Set by the page's handler (assign or dismiss), never posted.</summary>
        [BindNever] public bool Assign { get; set; }
        [StringLength(40), Display(Name = "Invoice number")] public string? InvoiceNumber { get; set; }
        [StringLength(200), Display(Name = "Reason")] public string? Reason { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(WaitingModel), factory) : null;
            if (Assign && string.IsNullOrWhiteSpace(InvoiceNumber))
                yield return new ValidationResult(texts?["Give the number of the invoice this pays."] ?? "Give the number of the invoice this pays.", [nameof(InvoiceNumber)]);
            if (!Assign && string.IsNullOrWhiteSpace(Reason))
                yield return new ValidationResult(texts?["Say why it pays no invoice."] ?? "Say why it pays no invoice.", [nameof(Reason)]);
        }
    }

    /// <summary>
    /// Records the line as a payment of the invoice (its balance due must cover it) or dismisses it. Decisions are taken one at a time: the
    /// line is checked to be still waiting, paid, then marked, and a payment already carrying the line's key is not recorded again.
    /// </summary>
    public sealed class DecisionHandler(IBankStatementStore statements, IInvoiceStore invoices, PluginCatalog plugins, CurrentUser user, TimeProvider clock,
        IStringLocalizerFactory localizers) : IRequestHandler<Decision, StatementLine>
    {
        private static readonly SemaphoreSlim OneAtATime = new(1, 1);

        public async Task<StatementLine> Handle(Decision decision, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(WaitingModel), localizers);
            static RequestValidationException Refuse(string field, string message) => RequestValidationException.For<Decision>(field, message);
            await OneAtATime.WaitAsync(cancellationToken);
            try
            {
                var line = await statements.GetLineAsync(decision.LineId, cancellationToken);
                if (line is null || !user.CanSee(line.Country)) throw new NotFoundException($"No statement line {decision.LineId}.");
                if (line.Status != StatementLineStatus.Waiting || line.Version != decision.Version)
                    throw Refuse("", texts["Someone decided on this payment meanwhile: see the list again."]);
                var decided = line with { DecidedBy = user.Email, DecidedAtUtc = clock.GetUtcNow().UtcDateTime };
                if (!decision.Assign)
                    return Saved(await statements.DecideAsync(decided with { Status = StatementLineStatus.Dismissed, Note = decision.Reason!.Trim() }, line.Version, cancellationToken), texts);

                var invoice = await invoices.FindByNumberAsync(decision.InvoiceNumber!.Trim().ToUpperInvariant(), cancellationToken);
                if (invoice is null || invoice.Country != line.Country)
                    throw Refuse(nameof(Decision.InvoiceNumber), texts["No invoice of {0} has this number.", line.Country]);
                if (!invoice.Payments.Any(p => p.Reference == line.Key))
                {
                    if (!invoice.CanPay(line.Amount))
                    {
                        var currency = plugins.Find(invoice.Country)?.Manifest.Currency ?? line.Currency;
                        throw Refuse(nameof(Decision.InvoiceNumber), texts["This payment is more than the invoice's balance due ({0}).", Money.Format(invoice.BalanceDue, currency)]);
                    }
                    var paid = await invoices.RecordPaymentAsync(invoice.Id, new InvoicePayment(line.Date, line.Amount, line.Key), new AuditActor(user.Email), cancellationToken);
                    if (!paid.Updated) throw Refuse(nameof(Decision.InvoiceNumber), texts["Another payment was recorded on this invoice meanwhile: try again."]);
                }
                return Saved(await statements.DecideAsync(decided with
                {
                    Status = StatementLineStatus.Matched,
                    InvoiceId = invoice.Id,
                    InvoiceNumber = invoice.Number,
                    MatchedBy = MatchRule.Person,
                    Waiting = null,
                }, line.Version, cancellationToken), texts);
            }
            finally
            {
                OneAtATime.Release();
            }
        }

        private static StatementLine Saved(UpdateOutcome<StatementLine> outcome, IStringLocalizer texts) =>
            outcome.Updated ? outcome.Current! : throw RequestValidationException.For<Decision>("", texts["Someone decided on this payment meanwhile: see the list again."]);
    }
}
