using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.ExpenseClaims;

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers, TimeProvider clock) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    /// <summary>The categories the form offers, by country; loaded before the command is sent so a refused form shows them again.</summary>
    public IndexModel.Categories Choices { get; private set; } = IndexModel.Categories.Empty;

    public async Task OnGetAsync(int? unitId)
    {
        Choices = await mediator.Send(new IndexModel.CategoriesQuery());
        Data = new Command { ProductionUnitId = unitId, Date = DateOnly.FromDateTime(clock.GetLocalNow().DateTime) };
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Choices = await mediator.Send(new IndexModel.CategoriesQuery());
        var submitted = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Expense claim {0} submitted and evaluated.", submitted.Id].Value;
        return RedirectToPage("Details", new { id = submitted.Id });
    }

    /// <summary>
    /// A member's expense on a production unit, with its receipt. It names its unit by number, so the handler checks the unit's country,
    /// evaluates it with that country's expenses rule set and stores it Submitted with its receipt.
    /// </summary>
    public sealed class Command : IRequest<ExpenseClaim>, IRequireRole, IValidatableObject
    {
        [Required, Display(Name = "Production unit number")]
        public int? ProductionUnitId { get; set; }

        [Required, Display(Name = "Date of the expense")]
        public DateOnly? Date { get; set; }

        [Required, StringLength(200), Display(Name = "Supplier")]
        public string Supplier { get; set; } = "";

        [Required, Display(Name = "Category")]
        public string Category { get; set; } = "";

        [Display(Name = "Amount paid, VAT included")]
        public decimal? Amount { get; set; }

        [Display(Name = "VAT on the receipt")]
        public decimal? Vat { get; set; }

        [Display(Name = "Kilometres")]
        public decimal? Kilometres { get; set; }

        [Display(Name = "Days")]
        public int? Days { get; set; }

        [Display(Name = "Receipt")]
        public IFormFile? Receipt { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(CreateModel), factory) : null;
            string T(string text) => texts?[text] ?? text;
            if (Amount < 0) yield return new ValidationResult(T("The amount must not be negative."), [nameof(Amount)]);
            if (Vat < 0) yield return new ValidationResult(T("The VAT must not be negative."), [nameof(Vat)]);
            else if (Vat > (Amount ?? 0m)) yield return new ValidationResult(T("The VAT cannot be more than the amount it is part of."), [nameof(Vat)]);
            if (Kilometres < 0) yield return new ValidationResult(T("The kilometres must not be negative."), [nameof(Kilometres)]);
            if (Days < 0) yield return new ValidationResult(T("The days must not be negative."), [nameof(Days)]);
        }
    }

    public sealed class Handler(IExpenseClaimStore claims, IProductionUnitStore units, DocumentEvaluator evaluator, CurrentUser user, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, ExpenseClaim>
    {
        public async Task<ExpenseClaim> Handle(Command command, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(CreateModel), localizers);
            static RequestValidationException Refuse(string field, string message) => RequestValidationException.For<Command>(field, message);

            var unit = await units.GetAsync(command.ProductionUnitId!.Value, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country))
                throw Refuse(nameof(Command.ProductionUnitId), texts["No production unit you can see has this number."]);
            var date = command.Date!.Value;
            if (evaluator.Book.Find(unit.Country, Topics.Expenses, date) is not { } rules)
                throw Refuse(nameof(Command.Date), texts["No expenses rule set of {0} is in force on this date: its expense claims cannot be evaluated.", unit.Country]);
            if (rules.File.Categories.Find(c => c.Code == command.Category) is not { } category)
                throw Refuse(nameof(Command.Category), texts["Choose a category of {0} from the list.", unit.Country]);

            var receipt = await ReadReceiptAsync(command.Receipt, category.Kind == ExpenseKinds.Receipt, texts, cancellationToken);
            var outcome = evaluator.EvaluateExpense(new ExpenseDocument
            {
                Country = unit.Country, Date = date, Category = category.Code, Amount = command.Amount, Vat = command.Vat,
                Kilometres = command.Kilometres, Days = command.Days,
            });
            if (outcome.Value is not { } evaluation)
                throw new RequestValidationException(typeof(Command), outcome.Errors.Concat(outcome.NotCovered)
                    .GroupBy(e => FieldOf(e.Key)).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray()));

            var claim = new ExpenseClaim
            {
                Country = unit.Country, ProductionUnitId = unit.Id, MemberId = unit.MemberId, Date = date, Supplier = command.Supplier.Trim(),
                Category = category.Code, Amount = command.Amount, Vat = command.Vat, Kilometres = command.Kilometres, Days = command.Days,
                ReceiptFileName = receipt?.FileName, ReceiptContentType = receipt?.ContentType,
            }.WithEvaluation(evaluation);
            return await claims.AddAsync(claim, receipt, new AuditActor(user.Email), cancellationToken);
        }

        /// <summary>The upload as a receipt to store, or a form error on the receipt field: missing where required, empty, too big, or not what it says.</summary>
        private static async Task<ExpenseReceipt?> ReadReceiptAsync(IFormFile? file, bool required, IStringLocalizer texts, CancellationToken cancellationToken)
        {
            const string field = nameof(Command.Receipt);
            if (file is null || file.Length == 0)
                return required ? throw RequestValidationException.For<Command>(field, texts["Attach the receipt (PDF, JPEG or PNG)."]) : null;
            if (file.Length > ReceiptFiles.MaxBytes)
                throw RequestValidationException.For<Command>(field, texts["The receipt is larger than {0} MB.", ReceiptFiles.MaxBytes / (1024 * 1024)]);
            var claimed = ReceiptFiles.TypeOfName(file.FileName);
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            var content = buffer.ToArray();
            var actual = ReceiptFiles.TypeOf(content);
            if (claimed is null || actual is null || claimed != actual)
                throw RequestValidationException.For<Command>(field, texts["The receipt must be a PDF, JPEG or PNG file (its content is checked, not only its name)."]);
            return new ExpenseReceipt(0, ReceiptFiles.SafeName(file.FileName), actual, content);
        }

        /// <summary>The form field an evaluation error names; a rule that failed is shown for the whole form.</summary>
        private static string FieldOf(string field) => field switch
        {
            "date" => nameof(Command.Date),
            "category" => nameof(Command.Category),
            "amount" => nameof(Command.Amount),
            "vat" or "vatRate" => nameof(Command.Vat),
            "kilometres" => nameof(Command.Kilometres),
            "days" => nameof(Command.Days),
            _ => "",
        };
    }
}
