using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.EInvoicing;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

public class DetailsModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Invoice { get; private set; } = null!;

    /// <summary>The payment form; a refused payment shows its errors on its fields, on this page.</summary>
    [BindProperty] public RecordPayment Payment { get; set; } = new();

    /// <summary>
    /// The irreversible step whose confirmation is open ("issue", "credit"): the page's buttons open it as a dialog in place; without
    /// JavaScript they link here, and the page comes back with that dialog open, a confirmation step of its own.
    /// </summary>
    public string? Confirm { get; private set; }

    /// <summary>The partial credit note's form: a quantity for each line.</summary>
    [BindProperty] public CreditLines Credit { get; set; } = new();

    /// <summary>The partial credit note's other form: an amount excluding VAT, spread over the lines.</summary>
    [BindProperty] public CreditAmount CreditByAmount { get; set; } = new();

    /// <summary>The refund's form, offered while the invoice is overpaid.</summary>
    [BindProperty] public RecordRefund Refund { get; set; } = new();

    public async Task OnGetAsync(int id, string? confirm)
    {
        Invoice = await mediator.Send(new Query(id));
        Confirm = confirm is "issue" or "credit" or "credit-lines" or "credit-amount" or "refund" ? confirm : null;
    }

    /// <summary>A credit note for the quantities chosen of some lines; a refused one comes back in its dialog, open, with the fields' errors.</summary>
    public async Task<IActionResult> OnPostCreditLinesAsync(int id)
    {
        Invoice = await mediator.Send(new Query(id));
        (Confirm, Credit.Id) = ("credit-lines", id);
        OnlyErrorsOf(nameof(Credit));
        var note = await mediator.Send(Credit);
        TempData["Message"] = PageResources.For(typeof(DetailsModel), localizers)["Credit note {0} issued.", note.Number!].Value;
        return RedirectToPage("Details", new { id = note.Id });
    }

    /// <summary>A credit note for an amount spread over the lines; a refused amount comes back in its dialog, open, with the error on the amount.</summary>
    public async Task<IActionResult> OnPostCreditAmountAsync(int id)
    {
        Invoice = await mediator.Send(new Query(id));
        (Confirm, CreditByAmount.Id) = ("credit-amount", id);
        OnlyErrorsOf(nameof(CreditByAmount));
        var note = await mediator.Send(CreditByAmount);
        TempData["Message"] = PageResources.For(typeof(DetailsModel), localizers)["Credit note {0} issued.", note.Number!].Value;
        return RedirectToPage("Details", new { id = note.Id });
    }

    public async Task<IActionResult> OnPostRefundAsync(int id)
    {
        Invoice = await mediator.Send(new Query(id));
        (Confirm, Refund.Id) = ("refund", id);
        OnlyErrorsOf(nameof(Refund));
        await mediator.Send(Refund);
        TempData["Message"] = PageResources.For(typeof(DetailsModel), localizers)["Refund recorded."].Value;
        return RedirectToPage("Details", new { id });
    }

    /// <summary>Every form of the page is bound on each post: a refused one must not show the others' empty fields as errors.</summary>
    private void OnlyErrorsOf(string form)
    {
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith(form + ".", StringComparison.Ordinal)).ToList()) ModelState.Remove(key);
    }

    public async Task<IActionResult> OnPostPayAsync(int id)
    {
        Invoice = await mediator.Send(new Query(id));
        Payment.Id = id;
        var status = await mediator.Send(Payment);
        TempData["Message"] = PageResources.For(typeof(DetailsModel), localizers)[status == InvoiceStatus.Paid ? "Payment recorded: the invoice is paid." : "Payment recorded."].Value;
        return RedirectToPage("Details", new { id });
    }

    /// <summary>Cancels the issued invoice by a full credit note and opens the credit note.</summary>
    public async Task<IActionResult> OnPostCreditAsync(int id)
    {
        var texts = PageResources.For(typeof(DetailsModel), localizers);
        var note = await mediator.Send(new CreateCreditNote(id));
        if (note is null)
        {
            TempData["Message"] = texts["No credit note was made: the invoice is not issued, or already has one."].Value;
            return RedirectToPage("Details", new { id });
        }
        TempData["Message"] = texts["Credit note {0} issued.", note.Number!].Value;
        return RedirectToPage("Details", new { id = note.Id });
    }

    /// <summary>Issues the draft: evaluated again, numbered and frozen.</summary>
    public async Task<IActionResult> OnPostIssueAsync(int id, int version)
    {
        var outcome = await mediator.Send(new Issue(id, version));
        var texts = PageResources.For(typeof(DetailsModel), localizers);
        TempData["Message"] = outcome switch
        {
            { Number: { } number } => texts["Invoice {0} issued.", number].Value,
            { Problems.Count: > 0 } => texts["The invoice was not issued: {0}", string.Join(" ", outcome.Problems)].Value,
            _ => texts["The invoice was not issued: it changed or was issued since you opened it."].Value,
        };
        return RedirectToPage("Details", new { id });
    }

    /// <summary>The e-invoice stored at issuing, as a download.</summary>
    public async Task<IActionResult> OnGetEInvoiceAsync(int id) =>
        await mediator.Send(new FilesQuery(id)) is { Xml: { } xml, XmlFileName: { } name } ? File(System.Text.Encoding.UTF8.GetBytes(xml), "application/xml", name) : NotFound();

    /// <summary>The PDF stored at issuing, as a download.</summary>
    public async Task<IActionResult> OnGetPdfAsync(int id) =>
        await mediator.Send(new FilesQuery(id)) is { } files ? File(files.Pdf, "application/pdf", files.PdfFileName) : NotFound();

    public sealed record FilesQuery(int Id) : IRequest<InvoiceFiles?>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class FilesHandler(IInvoiceStore invoices, CurrentUser user) : IRequestHandler<FilesQuery, InvoiceFiles?>
    {
        public async Task<InvoiceFiles?> Handle(FilesQuery query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            return await invoices.FilesAsync(invoice.Id, cancellationToken);
        }
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>The invoice and what it refers to; <see cref="Status"/> is today's (overdue is computed), <see cref="Related"/> the credit note or its original.</summary>
    public sealed record Result(Invoice Invoice, ProductionUnit? Unit, Client? Client, IssuingEntity? Issuer, string Currency, int MinorUnit,
        InvoiceStatus Status = InvoiceStatus.Draft, Invoice? Related = null, DateOnly Today = default, bool HasPdf = false, string? EInvoiceFormat = null);

    public sealed class Handler(IInvoiceStore invoices, IProductionUnitStore units, IClientStore clients, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            var manifest = plugins.Find(invoice.Country)?.Manifest;
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var related = (invoice.CreditNoteForId ?? invoice.CreditedById) is { } relatedId ? await invoices.GetAsync(relatedId, cancellationToken) : null;
            return new Result(invoice, await units.GetAsync(invoice.ProductionUnitId, cancellationToken), await clients.GetAsync(invoice.ClientId, cancellationToken),
                manifest?.Issuers.FirstOrDefault(i => i.Id == invoice.Issuer), manifest?.Currency ?? invoice.Evaluation?.Currency ?? "EUR", manifest?.MinorUnit ?? 2,
                invoice.StatusOn(today), related, today) is var result && invoice.Number is not null && await invoices.FilesAsync(invoice.Id, cancellationToken) is { } files
                ? result with { HasPdf = true, EInvoiceFormat = files.Format }
                : result;
        }
    }

    public sealed record Issue(int Id, int Version) : IRequest<IssueOutcome>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>The number given, or why none was: the evaluation's problems, or neither when the draft changed or was issued meanwhile.</summary>
    public sealed record IssueOutcome(string? Number, IReadOnlyList<string> Problems);

    public sealed class IssueHandler(IInvoiceStore invoices, IClientStore clients, InvoiceEvaluations evaluations, InvoiceDocuments documents, CurrentUser user,
        IStringLocalizerFactory localizers) : IRequestHandler<Issue, IssueOutcome>
    {
        public async Task<IssueOutcome> Handle(Issue issue, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(issue.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {issue.Id}.");
            if (!invoice.CanBeIssued(issue.Version)) return new IssueOutcome(null, []);
            // The rules or the member's figures may have changed since the last save: the issued invoice carries today's evaluation.
            var outcome = await evaluations.ReevaluateAsync(invoice, cancellationToken);
            if (outcome.Value is null)
                return new IssueOutcome(null, outcome.Errors.Concat(outcome.NotCovered).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList());
            var client = await clients.GetAsync(invoice.ClientId, cancellationToken) ?? throw new NotFoundException($"No client {invoice.ClientId}.");
            // What the e-invoice needs is checked before a number is taken: a missing datum is the user's to fill in, never an invalid document.
            if (documents.Missing(invoice, outcome.Value, client, null) is { Count: > 0 } missing) return new IssueOutcome(null, missing);
            var member = await evaluations.MemberIdAsync(invoice.ProductionUnitId, cancellationToken);
            try
            {
                var issued = await invoices.IssueAsync(invoice.Id, issue.Version, outcome.Value, member, new AuditActor(user.Email),
                    numbered => documents.Files(numbered, client, null), cancellationToken);
                return new IssueOutcome(issued.Updated ? issued.Current!.Number : null, []);
            }
            catch (EInvoiceSchemaException e)
            {
                return new IssueOutcome(null, [PageResources.For(typeof(DetailsModel), localizers)["The e-invoice failed its schema check, so nothing was issued: {0}", e.Message].Value]);
            }
        }
    }

    public sealed class RecordPayment : IRequest<InvoiceStatus>, IRequireRole
    {
        public int Id { get; set; }
        [Required, Display(Name = "Payment date")] public DateOnly? Date { get; set; }
        [Required, Display(Name = "Amount")] public decimal? Amount { get; set; }
        [StringLength(140), Display(Name = "Reference")] public string? Reference { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>Records a payment on an issued invoice; nothing above zero, or more than the balance due, is refused on the amount.</summary>
    public sealed class PaymentHandler(IInvoiceStore invoices, CurrentUser user, IStringLocalizerFactory localizers, PluginCatalog plugins)
        : IRequestHandler<RecordPayment, InvoiceStatus>
    {
        public async Task<InvoiceStatus> Handle(RecordPayment payment, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var invoice = await invoices.GetAsync(payment.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {payment.Id}.");
            if (invoice.BalanceDue <= 0m)
                throw RequestValidationException.For<RecordPayment>("", texts["Only an issued invoice with a balance due can be paid."]);
            var amount = payment.Amount!.Value;
            if (amount <= 0m)
                throw RequestValidationException.For<RecordPayment>(nameof(RecordPayment.Amount), texts["Give an amount above zero."]);
            if (amount > invoice.BalanceDue)
            {
                var manifest = plugins.Find(invoice.Country)?.Manifest;
                throw RequestValidationException.For<RecordPayment>(nameof(RecordPayment.Amount),
                    texts["This is more than the balance due ({0}).", Money.Format(invoice.BalanceDue, manifest?.Currency ?? "EUR")]);
            }
            var saved = await invoices.RecordPaymentAsync(invoice.Id, new InvoicePayment(payment.Date!.Value, amount, payment.Reference?.Trim() ?? ""),
                new AuditActor(user.Email), cancellationToken);
            if (!saved.Updated)
                throw RequestValidationException.For<RecordPayment>(nameof(RecordPayment.Amount), texts["Another payment was recorded meanwhile: reload the invoice and try again."]);
            return saved.Current!.Status;
        }
    }

    public sealed class CreditLines : IRequest<Invoice>, IRequireRole
    {
        public int Id { get; set; }
        /// <summary>The quantity to credit of each line, in the invoice's order; empty is none.</summary>
        [Display(Name = "Quantity to credit")] public List<decimal?> Quantities { get; set; } = [];

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>
    /// A partial credit note: the quantities chosen of the invoice's lines, never more than what remains uncredited of each, evaluated by the rules as
    /// an invoice of those lines on the original's date and negated line by line, numbered from the credit-note sequence. The invoice then owes
    /// less; its unit's ledger gives back the share of the credited part of what was paid.
    /// </summary>
    public sealed class CreditLinesHandler(IInvoiceStore invoices, IClientStore clients, InvoiceEvaluations evaluations, InvoiceDocuments documents, CurrentUser user,
        TimeProvider clock, IStringLocalizerFactory localizers) : IRequestHandler<CreditLines, Invoice>
    {
        public async Task<Invoice> Handle(CreditLines request, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var invoice = await invoices.GetAsync(request.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {request.Id}.");
            if (!invoice.CanBeCredited)
                throw RequestValidationException.For<CreditLines>("", texts["Only an issued invoice not yet credited in full can be credited."]);
            var quantities = invoice.Lines.Select((_, i) => i < request.Quantities.Count ? request.Quantities[i] ?? 0m : 0m).ToList();
            if (invoice.RefusedCredit(quantities) is { } refused)
            {
                var field = $"{nameof(CreditLines.Quantities)}[{Math.Max(0, refused)}]";
                throw RequestValidationException.For<CreditLines>(field, quantities.All(q => q == 0m)
                    ? texts["Give a quantity to credit on at least one line."]
                    : texts["Give a quantity between 0 and what remains to credit on this line ({0}).", invoice.CreditableLines[refused].Remaining.ToString("0.###", System.Globalization.CultureInfo.CurrentCulture)]);
            }
            // The credited lines as an invoice of the original's date: the rules and rates that applied to the supply apply to its correction.
            var outcome = await evaluations.ReevaluateAsync(invoice with { Lines = invoice.CreditedLines(quantities) }, cancellationToken);
            if (outcome.Value is not { } evaluation)
                throw new RequestValidationException(typeof(CreditLines), new Dictionary<string, string[]> { [""] = outcome.Errors.Concat(outcome.NotCovered).SelectMany(e => e.Value).ToArray() });
            var member = await evaluations.MemberIdAsync(invoice.ProductionUnitId, cancellationToken);
            var client = await clients.GetAsync(invoice.ClientId, cancellationToken);
            Func<Invoice, Invoice, InvoiceFiles>? files = client is null ? null : (note, original) => documents.Files(note, client, original);
            var credited = await invoices.CreditLinesAsync(invoice.Id, quantities, evaluation.Negated(), DateOnly.FromDateTime(clock.GetLocalNow().DateTime), member,
                new AuditActor(user.Email), files, cancellationToken);
            if (credited is not { Updated: true, Current.Credits: [.., var last] })
                throw RequestValidationException.For<CreditLines>("", texts["Another credit note was made meanwhile: reload the invoice and try again."]);
            return (await invoices.GetAsync(last.CreditNoteId, cancellationToken))!;
        }
    }

    public sealed class CreditAmount : IRequest<Invoice>, IRequireRole
    {
        public int Id { get; set; }
        /// <summary>Excluding VAT: the rules add the VAT and contribution of the credited part, as they did on the invoice.</summary>
        [Required(ErrorMessage = "Give the amount to credit."), Display(Name = "Amount to credit (excl. VAT)")] public decimal? Amount { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>
    /// A partial credit note of an amount: spread over the lines pro rata of what is left of each (<see cref="Invoice.QuantitiesCrediting"/>), then
    /// made as the per-line one is, evaluated by the rules and negated. More than is left to credit is refused on the amount.
    /// </summary>
    public sealed class CreditAmountHandler(IInvoiceStore invoices, CurrentUser user, IMediator mediator, IStringLocalizerFactory localizers, PluginCatalog plugins)
        : IRequestHandler<CreditAmount, Invoice>
    {
        public async Task<Invoice> Handle(CreditAmount request, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var invoice = await invoices.GetAsync(request.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {request.Id}.");
            if (!invoice.CanBeCredited)
                throw RequestValidationException.For<CreditAmount>("", texts["Only an issued invoice not yet credited in full can be credited."]);
            if (invoice.QuantitiesCrediting(request.Amount!.Value) is not { } quantities)
                throw RequestValidationException.For<CreditAmount>(nameof(CreditAmount.Amount), texts["Give an amount above zero and at most what is left to credit excluding VAT ({0}).",
                    Money.Format(invoice.CreditableNet, plugins.Find(invoice.Country)?.Manifest.Currency ?? "EUR")]);
            return await mediator.Send(new CreditLines { Id = invoice.Id, Quantities = [.. quantities.Select(q => (decimal?)q)] }, cancellationToken);
        }
    }

    public sealed class RecordRefund : IRequest<Invoice>, IRequireRole
    {
        public int Id { get; set; }
        [Required, Display(Name = "Refund date")] public DateOnly? Date { get; set; }
        [Required, Display(Name = "Amount")] public decimal? Amount { get; set; }
        [StringLength(140), Display(Name = "Reference")] public string? Reference { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    /// <summary>Money given back to the client of an overpaid invoice; more than was overpaid is refused on the amount.</summary>
    public sealed class RefundHandler(IInvoiceStore invoices, CurrentUser user, IStringLocalizerFactory localizers, PluginCatalog plugins)
        : IRequestHandler<RecordRefund, Invoice>
    {
        public async Task<Invoice> Handle(RecordRefund refund, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(DetailsModel), localizers);
            var invoice = await invoices.GetAsync(refund.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {refund.Id}.");
            if (invoice.Overpaid <= 0m)
                throw RequestValidationException.For<RecordRefund>("", texts["Nothing was paid beyond what is owed: there is nothing to refund."]);
            if (!invoice.CanRefund(refund.Amount!.Value))
                throw RequestValidationException.For<RecordRefund>(nameof(RecordRefund.Amount), texts["Give an amount above zero and at most what was overpaid ({0}).",
                    Money.Format(invoice.Overpaid, plugins.Find(invoice.Country)?.Manifest.Currency ?? "EUR")]);
            var saved = await invoices.RefundAsync(invoice.Id, new InvoiceRefund(refund.Date!.Value, refund.Amount.Value, refund.Reference?.Trim() ?? ""),
                new AuditActor(user.Email), cancellationToken);
            if (!saved.Updated)
                throw RequestValidationException.For<RecordRefund>(nameof(RecordRefund.Amount), texts["Another refund was recorded meanwhile: reload the invoice and try again."]);
            return saved.Current!;
        }
    }

    public sealed record CreateCreditNote(int Id) : IRequest<Invoice?>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>
    /// A full credit note: the original's lines and evaluation negated, not evaluated again. It corrects the original supply, so the rates, rule-set
    /// versions and author-rights treatment of the original's date apply, and it cancels exactly the amounts issued even if the rules or the member's
    /// year-to-date changed since. Returns the credit note, or null when the invoice cannot be credited.
    /// </summary>
    public sealed class CreditNoteHandler(IInvoiceStore invoices, IClientStore clients, InvoiceEvaluations evaluations, InvoiceDocuments documents, CurrentUser user,
        TimeProvider clock, IMediator mediator)
        : IRequestHandler<CreateCreditNote, Invoice?>
    {
        public async Task<Invoice?> Handle(CreateCreditNote request, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(request.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {request.Id}.");
            if (invoice.Evaluation is not { } evaluation) return null;
            // After partial credit notes, "the whole invoice" is what they left: credited line by line, evaluated as they were.
            if (invoice.Credits.Count > 0 && invoice.CanBeCredited)
                return await mediator.Send(new CreditLines { Id = invoice.Id, Quantities = invoice.CreditableLines.Select(l => (decimal?)Math.Max(0m, l.Remaining)).ToList() },
                    cancellationToken);
            var member = await evaluations.MemberIdAsync(invoice.ProductionUnitId, cancellationToken);
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var client = await clients.GetAsync(invoice.ClientId, cancellationToken);
            // The original was issued with what its e-invoice needs; a credit note of one issued before e-invoicing gets its PDF and, where it can, its e-invoice.
            Func<Invoice, Invoice, InvoiceFiles>? files = client is null ? null : (note, original) => documents.Files(note, client, original);
            var credited = await invoices.CreditAsync(invoice.Id, evaluation.Negated(), today, member, new AuditActor(user.Email), files, cancellationToken);
            return credited is { Updated: true, Current.CreditedById: { } noteId } ? await invoices.GetAsync(noteId, cancellationToken) : null;
        }
    }
}
