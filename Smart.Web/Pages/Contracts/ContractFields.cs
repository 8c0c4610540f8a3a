using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Contracts;

// Top level, as every form-fields type: its labels and messages read its partial's texts (Resources/Pages/Contracts/_ContractFields.*.resx).
/// <summary>The fields Create and Edit share; a save evaluates them against the unit's employment rule set and its available budget.</summary>
public abstract class ContractFields : IValidatableObject
{
    [Required, Display(Name = "Production unit number")]
    public int? ProductionUnitId { get; set; }

    [Required, Display(Name = "Start date")]
    public DateOnly? StartDate { get; set; }

    [Display(Name = "End date")]
    public DateOnly? EndDate { get; set; }

    [Range(0, 366), Display(Name = "Days")]
    public int Days { get; set; }

    [Range(typeof(decimal), "0", "10000"), Display(Name = "Hours")]
    public decimal Hours { get; set; }

    [Required, Display(Name = "Job category")]
    public string JobCategory { get; set; } = "";

    [Required, Display(Name = "Employment budget")]
    public decimal? Budget { get; set; }

    [Display(Name = "Status")]
    public ContractStatus Status { get; set; } = ContractStatus.Draft;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(ContractFields), factory) : null;
        string T(string text) => texts?[text] ?? text;
        if (!JobCategories.All.Contains(JobCategory))
            yield return new ValidationResult(T("Choose a job category from the list."), [nameof(JobCategory)]);
        if (EndDate < StartDate)
            yield return new ValidationResult(T("The contract cannot end before it starts."), [nameof(EndDate)]);
        if (Budget <= 0)
            yield return new ValidationResult(T("The employment budget must be more than zero."), [nameof(Budget)]);
        if (!Enum.IsDefined(Status))
            yield return new ValidationResult(T("Choose a status from the list."), [nameof(Status)]);
    }

    public void CopyFrom(Contract contract)
    {
        ProductionUnitId = contract.ProductionUnitId;
        StartDate = contract.StartDate;
        EndDate = contract.EndDate;
        Days = contract.Days;
        Hours = contract.Hours;
        JobCategory = contract.JobCategory;
        Budget = contract.Budget;
        Status = contract.Status;
    }
}

/// <summary>
/// A contract form evaluated as a save evaluates it, the one shape of a draft's evaluation that <see cref="Invoices.InvoiceEvaluations"/> has
/// for invoices: <c>DraftAsync&lt;TRequest&gt;(fields, stored, …)</c> gives the document to store or throws the request's field errors.
/// </summary>
public sealed class ContractEvaluations(ContractServices services)
{
    /// <summary>
    /// The contract to store, evaluated by the unit's employment rule set, or a field error: a unit the user may not see, a country without
    /// an employment rule set, a budget beyond what the unit has left. What a unit has left for this contract is its available budget minus
    /// the budgets its other draft and confirmed contracts hold; a cancelled contract holds nothing and is never refused for its budget. The available
    /// budget is the ledger's (balance less what confirmed contracts hold), plus what its clients still owe on issued invoices (their net less
    /// contribution): the 7-day guarantee pays a salary before the client does, so a contract may count on an invoice not paid yet.
    /// A draft contract of a 3-in-1 job also counts its own job's invoice while that invoice is a draft (<paramref name="jobInvoice"/>, or the
    /// stored <see cref="Contract.JobInvoiceId"/>): the two are made together, and confirming the contract waits for the invoice to be issued.
    /// </summary>
    public async Task<Contract> DraftAsync<TCommand>(ContractFields fields, Contract? stored, CancellationToken cancellationToken, Invoice? jobInvoice = null)
    {
        var texts = PageResources.For(typeof(ContractFields), services.Localizers);
        RequestValidationException Refuse(string field, string message) => RequestValidationException.For<TCommand>(field, message);

        var unit = await services.Units.GetAsync(fields.ProductionUnitId!.Value, cancellationToken);
        if (unit is null || !services.User.CanSee(unit.Country))
            throw Refuse(nameof(ContractFields.ProductionUnitId), texts["No production unit you can see has this number."]);
        var manifest = services.Plugins.Find(unit.Country)?.Manifest;

        var contract = (stored ?? new Contract { Country = "", JobCategory = "" }) with
        {
            Country = unit.Country,
            ProductionUnitId = unit.Id,
            MemberId = unit.MemberId,
            StartDate = fields.StartDate!.Value,
            EndDate = fields.EndDate,
            Days = fields.Days,
            Hours = fields.Hours,
            JobCategory = fields.JobCategory,
            Budget = fields.Budget!.Value,
            Status = fields.Status,
        };
        var outcome = services.Evaluator.EvaluateContract(EvaluationInputs.Contract(contract));
        if (outcome.Value is not { } fresh)
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var (field, messages) in outcome.Errors.Concat(outcome.NotCovered))
            {
                var property = FieldOf(field);
                errors[property] = field == "country"
                    ? [texts["{0} has no employment rule set: its contracts cannot be evaluated yet.", CountryName(manifest, unit.Country)]]
                    : field == "date" && outcome.NotCovered.ContainsKey(field)
                        ? [texts["No employment rule set of {0} is in force on this date.", unit.Country]]
                        : messages;
            }
            throw new RequestValidationException(typeof(TCommand), errors);
        }

        // Stored with its knowledge date: the rule-set versions it names were those in force at this instant.
        var evaluation = fresh with { AsKnownOn = services.Clock.GetUtcNow() };

        if (contract.HoldsBudget)
        {
            var totals = await services.Ledger.TotalsAsync(unit.Id, cancellationToken);
            var ownReservation = stored is null ? 0m : await services.Ledger.ReservedByAsync(Smart.Web.Budget.LedgerSource.Contract, stored.Id, cancellationToken);
            var owed = (await services.Invoices.UnpaidAsync(unit.Id, cancellationToken)).Sum(Smart.Web.Budget.LedgerRules.UnpaidShare);
            jobInvoice ??= fields.Status == ContractStatus.Draft && stored?.JobInvoiceId is { } jobInvoiceId ? await services.Invoices.GetAsync(jobInvoiceId, cancellationToken) : null;
            // An issued job invoice is among the unpaid ones already; a paid one is in the ledger.
            var jobDraft = fields.Status == ContractStatus.Draft && jobInvoice is { Status: InvoiceStatus.Draft, Evaluation: { } jobEvaluation } && jobInvoice.ProductionUnitId == unit.Id
                ? Smart.Web.Budget.LedgerRules.UnitShare(jobEvaluation) : 0m;
            var available = totals.Available + ownReservation + owed + jobDraft - await services.Contracts.HeldBudgetAsync(unit.Id, stored?.Id, cancellationToken);
            if (!contract.FitsBudget(available))
                throw Refuse(nameof(ContractFields.Budget), texts["The production unit has {0} available for this contract: lower the budget or add to the unit's budget first.",
                    Money.Format(Math.Max(0, available), evaluation.Currency, minorUnit: manifest?.MinorUnit ?? 2)]);
        }

        return contract.WithEvaluation(evaluation);
    }

    private static string CountryName(PluginManifest? manifest, string code) =>
        manifest?.Names.GetValueOrDefault(System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ?? manifest?.Names.GetValueOrDefault("en") ?? code;

    /// <summary>The form property an evaluation error names, or the whole form for a country no rule set covers.</summary>
    private static string FieldOf(string field) => field switch
    {
        "date" => nameof(ContractFields.StartDate),
        "endDate" => nameof(ContractFields.EndDate),
        "jobCategory" => nameof(ContractFields.JobCategory),
        "budget" => nameof(ContractFields.Budget),
        "days" => nameof(ContractFields.Days),
        "hours" => nameof(ContractFields.Hours),
        _ => "",
    };
}

/// <summary>What a contract save needs, in one parameter.</summary>
public sealed record ContractServices(IProductionUnitStore Units, IContractStore Contracts, Smart.Rules.Evaluation.DocumentEvaluator Evaluator, PluginCatalog Plugins,
    CurrentUser User, IStringLocalizerFactory Localizers, Smart.Web.Budget.ILedgerStore Ledger, IInvoiceStore Invoices, TimeProvider Clock);
