using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Budget;
using Smart.Web.Localization;
using Smart.Web.Pages.ExpenseClaims;
using Smart.Web.Pages.Invoices;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using ClaimFields = Smart.Web.Pages.ExpenseClaims.CreateModel.Command;

namespace Smart.Web.Pages.ThreeInOne;

/// <summary>
/// The 3-in-1 job: for one job on one production unit, the invoice to the client, the employment contract that pays the unit's member from
/// it and the job's expense claims, evaluated together and then stored as three documents that each live on in their own pages.
/// </summary>
public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel, IPageChoices
{
    /// <summary>Fixed expense rows, no script needed: empty ones are left out.</summary>
    public const int ExpenseRows = 3;

    [BindProperty] public Command Data { get; set; } = new();

    /// <summary>What the last "Calculate" found; null until then.</summary>
    public Figures? Calculated { get; private set; }

    /// <summary>The expense categories, by country; loaded before the command is sent so a refused form shows them again.</summary>
    public ExpenseClaims.IndexModel.Categories Choices { get; private set; } = ExpenseClaims.IndexModel.Categories.Empty;

    /// <summary>The invoice part's units, unit, clients and issuers, through the invoice form's own request (and its authorisation).</summary>
    public async Task<object> LoadChoicesAsync(CancellationToken cancellationToken) =>
        await mediator.Send(new Invoices.InvoiceChoices.Query(Data.ProductionUnitId, Data.Invoice.Date, null), cancellationToken);

    public async Task OnGetAsync(int? unit)
    {
        Choices = await mediator.Send(new ExpenseClaims.IndexModel.CategoriesQuery());
        Data = await mediator.Send(new Blank(unit));
    }

    public async Task<IActionResult> OnPostCalculateAsync()
    {
        Choices = await mediator.Send(new ExpenseClaims.IndexModel.CategoriesQuery());
        Data.Save = false;
        Calculated = (await mediator.Send(Data)).Figures;
        return Page();
    }

    public async Task<IActionResult> OnPostAddLineAsync()
    {
        Choices = await mediator.Send(new ExpenseClaims.IndexModel.CategoriesQuery());
        return this.AddLine(Data.Invoice, "Data.Invoice.", localizers);
    }

    public async Task<IActionResult> OnPostRemoveLineAsync(int row)
    {
        Choices = await mediator.Send(new ExpenseClaims.IndexModel.CategoriesQuery());
        return this.RemoveLine(Data.Invoice, row);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Choices = await mediator.Send(new ExpenseClaims.IndexModel.CategoriesQuery());
        Data.Save = true;
        var created = (await mediator.Send(Data)).Created!;
        return RedirectToPage("Created", new { invoice = created.InvoiceId, contract = created.ContractId, claims = created.ClaimIds });
    }

    /// <summary>A blank job on the unit given, when the user may see it; without one the page asks for a unit first.</summary>
    public sealed record Blank(int? ProductionUnitId) : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class BlankHandler(IMediator mediator) : IRequestHandler<Blank, Command>
    {
        public async Task<Command> Handle(Blank request, CancellationToken cancellationToken)
        {
            // The invoice page's blank knows the unit's default issuer and dates, and refuses a unit the user may not see (404).
            var invoice = await mediator.Send(new Invoices.CreateModel.Blank(request.ProductionUnitId), cancellationToken);
            var command = new Command { ProductionUnitId = invoice.ProductionUnitId };
            command.Invoice.CopyFrom(invoice);
            command.Contract.StartDate = invoice.Date;
            command.PadExpenses();
            foreach (var row in command.Expenses) row.Date = invoice.Date;
            return command;
        }
    }

    public sealed class InvoicePart : InvoiceFields
    {
        public void CopyFrom(InvoiceFields blank)
        {
            (ProductionUnitId, ClientId, Issuer, Date, DueDate, ServiceLevel, Lines) =
                (blank.ProductionUnitId, blank.ClientId, blank.Issuer, blank.Date, blank.DueDate, blank.ServiceLevel, blank.Lines);
            PadLines();
        }
    }

    /// <summary>The contract's own fields; its unit, budget and status are the job's (the form's values for those are ignored).</summary>
    public sealed class ContractPart : Contracts.ContractFields;

    /// <summary>
    /// The whole job, for both buttons: <see cref="Save"/> false evaluates the three documents and returns the figures, true stores them too,
    /// so a calculation and a creation go through the same checks.
    /// </summary>
    public sealed class Command : IRequest<Outcome>, IRequireRole, IValidatableObject
    {
        [Required, Display(Name = "Production unit")]
        public int? ProductionUnitId { get; set; }

        // MVC's own validation would hold an empty expense row, or the contract's budget the job computes, to their parts' required
        // fields; the parts are checked by Validate below, which knows which rows are filled.
        [ValidateNever] public InvoicePart Invoice { get; set; } = new();
        [ValidateNever] public ContractPart Contract { get; set; } = new();
        [ValidateNever] public List<ClaimFields> Expenses { get; set; } = [];

        /// <summary>Set by the page's handler, never posted.</summary>
        [BindNever] public bool Save { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public void PadExpenses()
        {
            while (Expenses.Count < ExpenseRows) Expenses.Add(new ClaimFields());
        }

        /// <summary>The rows that hold a claim, with their row number on the form.</summary>
        public IReadOnlyList<(int Row, ClaimFields Claim)> FilledExpenses() =>
            Expenses.Select((claim, row) => (row, claim)).Where(x => !IsEmpty(x.claim)).ToList();

        private static bool IsEmpty(ClaimFields row) =>
            string.IsNullOrWhiteSpace(row.Supplier) && string.IsNullOrWhiteSpace(row.Category) && row.Amount is null && row.Vat is null
            && row.Kilometres is null && row.Days is null && row.Receipt is not { Length: > 0 };

        /// <summary>
        /// What the three parts need before anything is evaluated, each error under its own field (<c>Expenses[1].Supplier</c>): the validation
        /// behaviour checks only this request's own properties, so the parts' required fields and their own rules are checked here.
        /// </summary>
        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var factory = context.GetService(typeof(IStringLocalizerFactory)) as IStringLocalizerFactory;
            IEnumerable<ValidationResult> Required(object? value, Type part, string prefix, string field, string display)
            {
                if (value is not null && (value is not string text || !string.IsNullOrWhiteSpace(text))) yield break;
                var texts = factory is null ? null : PageResources.For(part, factory);
                yield return new ValidationResult(texts?["RequiredAttribute", texts[display].Value].Value ?? $"The {display} field is required.", [prefix + field]);
            }
            static IEnumerable<ValidationResult> Within(string prefix, IEnumerable<ValidationResult> results) =>
                results.Select(r => new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => prefix + m).DefaultIfEmpty("").ToList()));

            var invoice = Required(Invoice.ClientId, typeof(InvoicePart), "Invoice.", nameof(InvoiceFields.ClientId), "Client")
                .Concat(Required(Invoice.Date, typeof(InvoicePart), "Invoice.", nameof(InvoiceFields.Date), "Date"))
                .Concat(Required(Invoice.Issuer, typeof(InvoicePart), "Invoice.", nameof(InvoiceFields.Issuer), "Issuing entity"));
            var contract = Required(Contract.StartDate, typeof(ContractPart), "Contract.", nameof(ContractPart.StartDate), "Start date")
                .Concat(Contract.StartDate is null ? [] : Within("Contract.", Contract.Validate(context)));
            var expenses = FilledExpenses().SelectMany(filled =>
            {
                var prefix = $"Expenses[{filled.Row}].";
                return Required(filled.Claim.Date, typeof(ClaimFields), prefix, nameof(ClaimFields.Date), "Date of the expense")
                    .Concat(Required(filled.Claim.Supplier, typeof(ClaimFields), prefix, nameof(ClaimFields.Supplier), "Supplier"))
                    .Concat(Required(filled.Claim.Category, typeof(ClaimFields), prefix, nameof(ClaimFields.Category), "Category"))
                    .Concat(Within(prefix, filled.Claim.Validate(context)));
            });
            return invoice.Concat(contract).Concat(expenses).ToList();
        }
    }

    public sealed record Outcome(Figures Figures, Created? Created);

    /// <summary>The ids of the three documents stored.</summary>
    public sealed record Created(int InvoiceId, int ContractId, IReadOnlyList<int> ClaimIds);

    /// <summary>One expense row's evaluation, with its row on the form.</summary>
    public sealed record ExpenseFigures(int Row, string Supplier, string Category, ExpenseEvaluation Evaluation);

    /// <summary>
    /// The job evaluated: the invoice, each expense, and what is left of the invoice's net to pay the member. The employment budget is the
    /// unit's share of the invoice (its net less the mutualised contribution, as a paid invoice adds to the ledger) less what the expenses
    /// charge the unit (reimbursed less the VAT the cooperative recovers); the contract is evaluated with that budget by the country's
    /// employment rule set, whose split gives the gross salary it pays.
    /// </summary>
    public sealed record Figures(string Currency, int MinorUnit, InvoiceEvaluation Invoice, decimal UnitShare, IReadOnlyList<ExpenseFigures> Expenses,
        decimal ExpensesCharged, EmploymentSplit Employment);

    public sealed class Handler(IProductionUnitStore units, InvoiceEvaluations invoiceEvaluations, ExpenseClaimDrafts claimDrafts,
        Contracts.ContractEvaluations contractEvaluations, IInvoiceStore invoices, IContractStore contracts, IExpenseClaimStore claims,
        PluginCatalog plugins, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Command, Outcome>
    {
        public async Task<Outcome> Handle(Command command, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(CreateModel), localizers);
            var unit = await units.GetAsync(command.ProductionUnitId!.Value, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {command.ProductionUnitId}.");
            var manifest = plugins.Find(unit.Country)?.Manifest;
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

            // Every part is evaluated before anything is stored, and every part's errors are shown at once.
            command.Invoice.ProductionUnitId = unit.Id;
            var invoice = await Collect(errors, "Invoice", () => invoiceEvaluations.DraftAsync<InvoicePart>(command.Invoice, null, cancellationToken));
            var drafts = new List<(int Row, ExpenseClaim Claim, ExpenseReceipt? Receipt)>();
            foreach (var (row, fields) in command.FilledExpenses())
            {
                fields.ProductionUnitId = unit.Id;
                // A calculation keeps no file: the receipts are read (and required) when the job is created.
                var draft = await Collect(errors, $"Expenses[{row}]", () => claimDrafts.DraftAsync(fields, withReceipt: command.Save, cancellationToken));
                if (draft.Claim is not null) drafts.Add((row, draft.Claim, draft.Receipt));
            }
            if (errors.Count > 0 || invoice is null) throw new RequestValidationException(typeof(Command), errors);

            var unitShare = LedgerRules.UnitShare(invoice.Evaluation!);
            var charged = drafts.Sum(d => d.Claim.ChargedToUnit ?? 0m);
            var budget = unitShare - charged;
            if (budget <= 0)
                throw RequestValidationException.For<Command>("", texts["The invoice's net after contribution ({0}) does not cover the expenses ({1}): nothing is left to pay a salary.",
                    Money.Format(unitShare, invoice.Evaluation!.Currency, minorUnit: manifest?.MinorUnit ?? 2), Money.Format(charged, invoice.Evaluation.Currency, minorUnit: manifest?.MinorUnit ?? 2)]);

            (command.Contract.ProductionUnitId, command.Contract.Budget, command.Contract.Status) = (unit.Id, budget, ContractStatus.Draft);
            // The contract counts this job's draft invoice towards the unit's budget (ContractEvaluations.DraftAsync): without it a job whose
            // invoice is not issued yet would always be refused.
            var contract = await Collect(errors, "Contract", () => contractEvaluations.DraftAsync<ContractPart>(command.Contract, null, cancellationToken, jobInvoice: invoice));
            if (contract is null) throw new RequestValidationException(typeof(Command), errors);

            var figures = new Figures(invoice.Evaluation!.Currency, manifest?.MinorUnit ?? 2, invoice.Evaluation, unitShare,
                drafts.Select(d => new ExpenseFigures(d.Row, d.Claim.Supplier, d.Claim.Category, d.Claim.Evaluation!)).ToList(), charged, contract.Evaluation!.Employment);
            if (!command.Save) return new Outcome(figures, null);

            // Three stores, three writes: each document then lives on its own (draft invoice, draft contract, submitted claims).
            var actor = new AuditActor(user.Email);
            var storedInvoice = await invoices.AddDraftAsync(invoice, actor, cancellationToken);
            var storedContract = await contracts.AddAsync(contract with { JobInvoiceId = storedInvoice.Id }, actor, cancellationToken);
            var claimIds = new List<int>();
            foreach (var (_, claim, receipt) in drafts) claimIds.Add((await claims.AddAsync(claim, receipt, actor, cancellationToken)).Id);
            return new Outcome(figures, new Created(storedInvoice.Id, storedContract.Id, claimIds));
        }

        /// <summary>
        /// Runs one part's evaluation; its field errors are kept under the part's name (<c>Invoice.ClientId</c>, <c>Expenses[1].Receipt</c>).
        /// Fields the job sets itself (a part's unit, the contract's budget and status) are reported for the whole form.
        /// </summary>
        private static async Task<T?> Collect<T>(Dictionary<string, string[]> errors, string part, Func<Task<T>> evaluate)
        {
            try
            {
                return await evaluate();
            }
            catch (RequestValidationException invalid)
            {
                foreach (var (field, messages) in invalid.Errors)
                {
                    var key = field is "" or "ProductionUnitId" or "Budget" or "Status" ? "" : $"{part}.{field}";
                    errors[key] = errors.TryGetValue(key, out var earlier) ? [.. earlier, .. messages] : messages;
                }
                return default;
            }
        }
    }
}
