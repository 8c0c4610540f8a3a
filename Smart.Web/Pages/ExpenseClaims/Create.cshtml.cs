using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.ExpenseClaims;

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

    public sealed class Handler(IExpenseClaimStore claims, ExpenseClaimDrafts drafts, CurrentUser user) : IRequestHandler<Command, ExpenseClaim>
    {
        public async Task<ExpenseClaim> Handle(Command command, CancellationToken cancellationToken)
        {
            var (claim, receipt) = await drafts.DraftAsync(command, withReceipt: true, cancellationToken);
            return await claims.AddAsync(claim, receipt, new AuditActor(user.Email), cancellationToken);
        }
    }
}
