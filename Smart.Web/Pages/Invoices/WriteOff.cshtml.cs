using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Budget;
using Smart.Web.Localization;
using Smart.Web.Reminders;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

/// <summary>
/// Writing off an invoice the reminders did not get paid: staff only, with a reason and a confirmation. What the unit was advanced by
/// the salary guarantee and this invoice would have repaid is then borne by the guarantee fund (the store writes it in the same transaction).
/// </summary>
public class WriteOffModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Invoice { get; private set; } = null!;

    [BindProperty] public Command Form { get; set; } = new();

    public async Task OnGetAsync(int id) => Invoice = await mediator.Send(new Query(id));

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Invoice = await mediator.Send(new Query(id));
        Form.Id = id;
        await mediator.Send(Form);
        TempData["Message"] = PageResources.For(typeof(WriteOffModel), localizers)["Invoice written off."].Value;
        return RedirectToPage("Details", new { id });
    }

    /// <summary>Staff and administrators only: a partner administrator does not give up the cooperative's claims.</summary>
    public static readonly IReadOnlyList<string> Roles = [SmartRoles.Staff, SmartRoles.Administrator];

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => WriteOffModel.Roles;
    }

    /// <param name="Allowed">Overdue, and at least one reminder sent.</param>
    /// <param name="UnitShareUnpaid">What the unit would still have got from the invoice (net less contribution, not paid yet).</param>
    /// <param name="GuaranteeBears">What the guarantee fund would bear now: the unit's outstanding advance, up to that share.</param>
    public sealed record Result(Invoice Invoice, bool Allowed, int Reminders, decimal UnitShareUnpaid, decimal GuaranteeBears, string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IReminderStore reminders, ILedgerStore ledger, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            var sent = (await reminders.ForInvoiceAsync(invoice.Id, cancellationToken)).Count;
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var unpaid = LedgerRules.UnpaidShare(invoice);
            var advance = (await ledger.TotalsAsync(invoice.ProductionUnitId, cancellationToken)).Advance;
            var manifest = plugins.Find(invoice.Country)?.Manifest;
            return new Result(invoice, invoice.CanBeWrittenOffOn(today, sent), sent, unpaid, Math.Max(0m, Math.Min(advance, unpaid)),
                manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
        }
    }

    public sealed class Command : IRequest<Invoice>, IRequireRole
    {
        public int Id { get; set; }
        [Required, StringLength(500), Display(Name = "Reason")] public string? Reason { get; set; }
        [Display(Name = "I confirm that this invoice is written off")] public bool Confirmed { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => WriteOffModel.Roles;
    }

    public sealed class CommandHandler(IInvoiceStore invoices, IReminderStore reminders, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, Invoice>
    {
        public async Task<Invoice> Handle(Command command, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(WriteOffModel), localizers);
            var invoice = await invoices.GetAsync(command.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {command.Id}.");
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            if (!invoice.CanBeWrittenOffOn(today, (await reminders.ForInvoiceAsync(invoice.Id, cancellationToken)).Count))
                throw RequestValidationException.For<Command>("", texts["Only an overdue invoice whose client was reminded can be written off."]);
            if (string.IsNullOrWhiteSpace(command.Reason))
                throw RequestValidationException.For<Command>(nameof(Command.Reason), texts["Say why the invoice is written off."]);
            if (!command.Confirmed)
                throw RequestValidationException.For<Command>(nameof(Command.Confirmed), texts["Tick the box to confirm: a written-off invoice is not collected any more."]);
            var outcome = await invoices.WriteOffAsync(invoice.Id, new InvoiceWriteOff(today, command.Reason.Trim(), user.Email), new AuditActor(user.Email), cancellationToken);
            return outcome.Updated ? outcome.Current! : throw RequestValidationException.For<Command>("", texts["Only an overdue invoice whose client was reminded can be written off."]);
        }
    }
}
