using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel, IPageChoices
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new InvoiceChoices.Query(Data.ProductionUnitId, Data.Date, null), cancellationToken);

    /// <summary>
    /// Without a production unit the page first asks for one: the issuers and clients offered depend on its country. A client given
    /// (from the client's page) is kept through that step and chosen when it is of the unit's country.
    /// </summary>
    public async Task OnGetAsync(int? unit, int? client) => Data = await mediator.Send(new Blank(unit) { ClientId = client });

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Draft invoice saved and evaluated."].Value;
        return RedirectToPage("Details", new { id = created.Id });
    }

    /// <summary>The live preview of the values typed (invoice-preview.js posts the form here): figures or the fields' errors, nothing saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync() =>
        Partial("_InvoicePreview", ModelState.IsValid ? await mediator.Send(new InvoicePreview(Data)) : InvoicePreview.Result.Refused(ModelState, "Data."));

    public IActionResult OnPostAddLine() => this.AddLine(Data, "Data.", localizers);

    public IActionResult OnPostRemoveLine(int row) => this.RemoveLine(Data, row);

    public sealed record Blank(int? ProductionUnitId) : IRequest<Command>, IRequireRole
    {
        public int? ClientId { get; init; }

        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Command : InvoiceFields, IRequest<Invoice>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class BlankHandler(IProductionUnitStore units, IClientStore clients, CurrentUser user, PluginCatalog plugins, TimeProvider clock)
        : IRequestHandler<Blank, Command>
    {
        public async Task<Command> Handle(Blank request, CancellationToken cancellationToken)
        {
            var command = new Command();
            command.PadLines();
            var client = request.ClientId is { } clientId && await clients.GetAsync(clientId, cancellationToken) is { } found && user.CanSee(found.Country) ? found : null;
            command.ClientId = client?.Id;
            if (request.ProductionUnitId is not { } id) return command;
            var unit = await units.GetAsync(id, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {id}.");
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            command.ProductionUnitId = unit.Id;
            if (client is not null && client.Country != unit.Country) command.ClientId = null;
            command.Issuer = plugins.Find(unit.Country)?.Manifest.DefaultIssuer.Id ?? "";
            command.Date = today;
            command.DueDate = today.AddDays(30);
            return command;
        }
    }

    public sealed class Handler(IInvoiceStore invoices, InvoiceEvaluations evaluations, CurrentUser user) : IRequestHandler<Command, Invoice>
    {
        public async Task<Invoice> Handle(Command command, CancellationToken cancellationToken)
        {
            var draft = await evaluations.DraftAsync<Command>(command, null, cancellationToken);
            return await invoices.AddDraftAsync(draft, new AuditActor(user.Email), cancellationToken);
        }
    }
}
