using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

public class EditModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel, IPageChoices
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new InvoiceChoices.Query(Data.ProductionUnitId, Data.Date, Data.Id), cancellationToken);

    /// <summary>The number of the issued invoice this page refuses to edit; null for a draft.</summary>
    public string? IssuedNumber { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id)
    {
        Data = await mediator.Send(new Query(id));
        return Data.IssuedNumber is null ? Page() : Refuse(Data.IssuedNumber);
    }

    public async Task<IActionResult> OnPostAsync(int id)
    {
        Data.Id = id;
        var outcome = await mediator.Send(Data);
        var texts = PageResources.For(typeof(EditModel), localizers);
        switch (outcome)
        {
            case { Status: EditStatus.Issued }:
                return Refuse(outcome.Number!);
            case { Status: EditStatus.Stale }:
                ModelState.AddModelError("", texts["Someone else saved this invoice after you opened it. Reload the page to see their changes, then edit again."]);
                return Page();
        }
        TempData["Message"] = texts["Draft invoice saved and evaluated."].Value;
        return RedirectToPage("Details", new { id });
    }

    /// <summary>The live preview of the values typed, as on the new-invoice page; nothing saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync() =>
        Partial("_InvoicePreview", ModelState.IsValid ? await mediator.Send(new InvoicePreview(Data)) : InvoicePreview.Result.Refused(ModelState, "Data."));

    public IActionResult OnPostAddLine(int id)
    {
        Data.Id = id;
        return this.AddLine(Data, "Data.", localizers);
    }

    public IActionResult OnPostRemoveLine(int id, int row)
    {
        Data.Id = id;
        return this.RemoveLine(Data, row);
    }

    private IActionResult Refuse(string number)
    {
        IssuedNumber = number;
        // An issued invoice is frozen: corrections go through a credit note, so the edit is refused as a conflict with its state.
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    public enum EditStatus
    {
        Saved,
        Stale,
        Issued,
    }

    public sealed record Outcome(EditStatus Status, string? Number = null);

    public sealed record Query(int Id) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : InvoiceFields, IRequest<Outcome>, IRequireRole
    {
        public int Id { get; set; }
        public int Version { get; set; }
        /// <summary>Set by the query when the invoice is no longer a draft; never bound from the form.</summary>
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever] public string? IssuedNumber { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class QueryHandler(IInvoiceStore invoices, CurrentUser user) : IRequestHandler<Query, Command>
    {
        public async Task<Command> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            var command = new Command { Id = invoice.Id, Version = invoice.Version, IssuedNumber = invoice.Status == InvoiceStatus.Draft ? null : invoice.Number };
            command.CopyFrom(invoice);
            return command;
        }
    }

    public sealed class CommandHandler(IInvoiceStore invoices, InvoiceEvaluations evaluations, CurrentUser user) : IRequestHandler<Command, Outcome>
    {
        public async Task<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var stored = await invoices.GetAsync(command.Id, cancellationToken);
            if (stored is null || !user.CanSee(stored.Country)) throw new NotFoundException($"No invoice {command.Id}.");
            if (stored.Status != InvoiceStatus.Draft) return new Outcome(EditStatus.Issued, stored.Number);
            var draft = await evaluations.DraftAsync<Command>(command, stored, cancellationToken);
            var saved = await invoices.UpdateDraftAsync(draft, command.Version, new AuditActor(user.Email), cancellationToken);
            return saved.Status switch
            {
                UpdateStatus.NotFound => throw new NotFoundException($"No invoice {command.Id}."),
                UpdateStatus.ConcurrencyConflict when saved.Current?.Status is InvoiceStatus.Issued => new Outcome(EditStatus.Issued, saved.Current.Number),
                UpdateStatus.ConcurrencyConflict => new Outcome(EditStatus.Stale),
                _ => new Outcome(EditStatus.Saved),
            };
        }
    }
}
