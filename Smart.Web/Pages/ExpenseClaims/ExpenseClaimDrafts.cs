using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ExpenseClaims;

/// <summary>
/// An expense claim built from its form and evaluated as it will be stored, not stored yet: the claim page stores it at once, the 3-in-1 job
/// only once its invoice and contract are right too. Every problem is a field error of <see cref="CreateModel.Command"/>.
/// </summary>
public sealed class ExpenseClaimDrafts(IProductionUnitStore units, DocumentEvaluator evaluator, CurrentUser user, IStringLocalizerFactory localizers)
{
    /// <summary>
    /// The claim evaluated by its unit's expenses rule set, with its receipt read from the upload; <paramref name="withReceipt"/> false leaves
    /// the receipt out (a calculation, which keeps no file).
    /// </summary>
    public async Task<(ExpenseClaim Claim, ExpenseReceipt? Receipt)> DraftAsync(CreateModel.Command command, bool withReceipt, CancellationToken cancellationToken)
    {
        var texts = PageResources.For(typeof(CreateModel), localizers);
        static RequestValidationException Refuse(string field, string message) => RequestValidationException.For<CreateModel.Command>(field, message);

        var unit = await units.GetAsync(command.ProductionUnitId!.Value, cancellationToken);
        if (unit is null || !user.CanSee(unit.Country))
            throw Refuse(nameof(CreateModel.Command.ProductionUnitId), texts["No production unit you can see has this number."]);
        var date = command.Date!.Value;
        if (evaluator.Book.Find(unit.Country, Topics.Expenses, date) is not { } rules)
            throw Refuse(nameof(CreateModel.Command.Date), texts["No expenses rule set of {0} is in force on this date: its expense claims cannot be evaluated.", unit.Country]);
        if (rules.File.Categories.Find(c => c.Code == command.Category) is not { } category)
            throw Refuse(nameof(CreateModel.Command.Category), texts["Choose a category of {0} from the list.", unit.Country]);

        var receipt = withReceipt ? await ReadReceiptAsync(command.Receipt, category.Kind == ExpenseKinds.Receipt, texts, cancellationToken) : null;
        var outcome = evaluator.EvaluateExpense(new ExpenseDocument
        {
            Country = unit.Country, Date = date, Category = category.Code, Amount = command.Amount, Vat = command.Vat,
            Kilometres = command.Kilometres, Days = command.Days,
        });
        if (outcome.Value is not { } evaluation)
            throw new RequestValidationException(typeof(CreateModel.Command), outcome.Errors.Concat(outcome.NotCovered)
                .GroupBy(e => FieldOf(e.Key)).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).ToArray()));

        var claim = new ExpenseClaim
        {
            Country = unit.Country, ProductionUnitId = unit.Id, MemberId = unit.MemberId, Date = date, Supplier = command.Supplier.Trim(),
            Category = category.Code, Amount = command.Amount, Vat = command.Vat, Kilometres = command.Kilometres, Days = command.Days,
            ReceiptFileName = receipt?.FileName, ReceiptContentType = receipt?.ContentType,
        }.WithEvaluation(evaluation);
        return (claim, receipt);
    }

    /// <summary>The upload as a receipt to store, or a form error on the receipt field: missing where required, empty, too big, or not what it says.</summary>
    private static async Task<ExpenseReceipt?> ReadReceiptAsync(IFormFile? file, bool required, IStringLocalizer texts, CancellationToken cancellationToken)
    {
        const string field = nameof(CreateModel.Command.Receipt);
        if (file is null || file.Length == 0)
            return required ? throw RequestValidationException.For<CreateModel.Command>(field, texts["Attach the receipt (PDF, JPEG or PNG)."]) : null;
        if (file.Length > ReceiptFiles.MaxBytes)
            throw RequestValidationException.For<CreateModel.Command>(field, texts["The receipt is larger than {0} MB.", ReceiptFiles.MaxBytes / (1024 * 1024)]);
        var claimed = ReceiptFiles.TypeOfName(file.FileName);
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        var content = buffer.ToArray();
        var actual = ReceiptFiles.TypeOf(content);
        if (claimed is null || actual is null || claimed != actual)
            throw RequestValidationException.For<CreateModel.Command>(field, texts["The receipt must be a PDF, JPEG or PNG file (its content is checked, not only its name)."]);
        return new ExpenseReceipt(0, ReceiptFiles.SafeName(file.FileName), actual, content);
    }

    /// <summary>The form field an evaluation error names; a rule that failed is shown for the whole form.</summary>
    private static string FieldOf(string field) => field switch
    {
        "date" => nameof(CreateModel.Command.Date),
        "category" => nameof(CreateModel.Command.Category),
        "amount" => nameof(CreateModel.Command.Amount),
        "vat" or "vatRate" => nameof(CreateModel.Command.Vat),
        "kilometres" => nameof(CreateModel.Command.Kilometres),
        "days" => nameof(CreateModel.Command.Days),
        _ => "",
    };
}
