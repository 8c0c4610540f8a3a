using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Evaluation;

/// <summary>
/// Evaluates invoices and contracts against the rule sets of their country in force on their date.
/// Thread-safe: the book is immutable and each evaluation works on its own argument arrays.
/// </summary>
public sealed partial class DocumentEvaluator(RuleBook book)
{
    public RuleBook Book => book;

    /// <param name="explain">
    /// False leaves the trace empty (the rule set versions and unconfirmed values are still reported): for bulk
    /// re-evaluation after a rule change, which compares amounts and explains only the documents that changed.
    /// </param>
    /// <param name="latePayment">
    /// False leaves <see cref="InvoiceEvaluation.LatePayment"/> null and its mention out: for a caller that needs only the amounts,
    /// such as the benchmark's comparison with hand-written rules. What is stored or compared (<see cref="InvoiceEvaluation.Same"/>) asks for them.
    /// </param>
    public Outcome<InvoiceEvaluation> EvaluateInvoice(InvoiceDocument invoice, bool explain = true, bool latePayment = true)
    {
        RuleBudget.Begin();
        try
        {
            return Invoice(invoice, explain, latePayment);
        }
        catch (RuleFailedException e)
        {
            return Outcome<InvoiceEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<InvoiceEvaluation>.Failed(Overflow);
        }
    }

    public Outcome<ContractEvaluation> EvaluateContract(ContractDocument contract, bool explain = true)
    {
        RuleBudget.Begin();
        try
        {
            return Contract(contract, explain);
        }
        catch (RuleFailedException e)
        {
            return Outcome<ContractEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<ContractEvaluation>.Failed(Overflow);
        }
    }

    public Outcome<ExpenseEvaluation> EvaluateExpense(ExpenseDocument expense, bool explain = true)
    {
        RuleBudget.Begin();
        try
        {
            return Expense(expense, explain);
        }
        catch (RuleFailedException e)
        {
            return Outcome<ExpenseEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<ExpenseEvaluation>.Failed(Overflow);
        }
    }

    /// <summary>The evaluator's own sums and products of what the rules gave (rules' own arithmetic fails naming the rule).</summary>
    private const string Overflow = "an amount computed from the rules' results is beyond what can be computed";

    private Outcome<ContractEvaluation> Contract(ContractDocument contract, bool explain)
    {
        var errors = DocumentValidation.Check(contract);
        if (errors.Count > 0) return Outcome<ContractEvaluation>.Invalid(errors);
        var country = book.Country(contract.Country);
        if (country is null) return Outcome<ContractEvaluation>.Uncovered("country", $"no rule set covers country '{contract.Country}'");
        var set = country.Find(Topics.Employment, contract.Date);
        if (set is null)
            return Outcome<ContractEvaluation>.Uncovered(country.Has(Topics.Employment) ? "date" : "country",
                $"no employment rule set of {country.Plugin.Manifest.Country} is in force on {contract.Date:yyyy-MM-dd}");

        var manifest = country.Plugin.Manifest;
        using var run = new Run(manifest, contract.Date, explain);
        var facts = new Facts(
            new DocumentFacts { Country = manifest.Country, Year = contract.Date.Year, Day = DayNumber(contract.Date), ServiceLevel = contract.ServiceLevel ?? "standard", Kind = "contract" },
            EmptyClient, EmptyIssuer, MemberFactsFor(contract.Member),
            new ContractFacts { JobCategory = contract.JobCategory, Days = contract.Days, Hours = contract.Hours, Budget = contract.Budget });
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return Outcome<ContractEvaluation>.Uncovered("jobCategory", $"no rule of {set.Id} {set.Version} applies to this contract");

        var mutualised = run.Round(run.Result(set, args, fired.Value.Rule, NamedResult.MutualisedContribution));
        var employer = run.Round(run.Result(set, args, fired.Value.Rule, NamedResult.EmployerContributions));
        // The gross salary takes the rounding residue, so the split always adds up to the budget.
        var gross = contract.Budget - mutualised - employer;
        var worker = run.Round(run.OptionalResult(set, args, fired.Value.Rule, NamedResult.WorkerContributions) ?? 0m);
        var employerRate = run.OptionalResult(set, args, fired.Value.Rule, NamedResult.EmployerRate) ?? 0m;
        var mutualisedRate = run.OptionalResult(set, args, fired.Value.Rule, NamedResult.MutualisedRate) ?? (contract.Budget == 0 ? 0 : mutualised / contract.Budget);
        run.Mention(set, args, fired.Value.Rule);

        return Outcome<ContractEvaluation>.Success(new ContractEvaluation
        {
            Country = manifest.Country,
            Currency = manifest.Currency,
            Date = contract.Date,
            Employment = new EmploymentSplit(contract.Budget, mutualised, employer, gross, employerRate, worker, gross - worker),
            Contribution = new ContributionResult(mutualisedRate, contract.Budget, mutualised),
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    private Outcome<ExpenseEvaluation> Expense(ExpenseDocument expense, bool explain)
    {
        var errors = DocumentValidation.Check(expense);
        if (errors.Count > 0) return Outcome<ExpenseEvaluation>.Invalid(errors);
        var country = book.Country(expense.Country);
        if (country is null) return Outcome<ExpenseEvaluation>.Uncovered("country", $"no rule set covers country '{expense.Country}'");
        var set = country.Find(Topics.Expenses, expense.Date);
        if (set is null)
            return Outcome<ExpenseEvaluation>.Uncovered(country.Has(Topics.Expenses) ? "date" : "country",
                $"no expenses rule set of {country.Plugin.Manifest.Country} is in force on {expense.Date:yyyy-MM-dd}");
        var category = set.File.Categories.Find(c => c.Code == expense.Category);
        if (category is null)
            return Invalid<ExpenseEvaluation>("category", $"'{expense.Category}' is not an expense category of {set.Id}: {string.Join(", ", set.File.Categories.Select(c => c.Code))}");

        // Each kind needs its own figure; asking for it by name keeps a claim from being reimbursed on nothing.
        var manifest = country.Plugin.Manifest;
        using var run = new Run(manifest, expense.Date, explain);
        var amount = expense.Amount ?? 0m;
        var vat = 0m;
        switch (category.Kind)
        {
            case ExpenseKinds.Receipt:
                if (expense.Amount is not > 0) return Invalid<ExpenseEvaluation>("amount", $"a '{category.Code}' expense needs the amount paid, VAT included");
                vat = expense.Vat ?? (expense.VatRate is { } rate ? run.Round(amount * rate / (1m + rate)) : 0m);
                break;
            case ExpenseKinds.Mileage:
                if (expense.Kilometres is not > 0) return Invalid<ExpenseEvaluation>("kilometres", $"a '{category.Code}' expense needs the kilometres driven");
                break;
            case ExpenseKinds.PerDiem:
                if (expense.Days is not > 0) return Invalid<ExpenseEvaluation>("days", $"a '{category.Code}' expense needs the days of the trip");
                break;
        }

        var facts = new Facts(
            new DocumentFacts { Country = manifest.Country, Year = expense.Date.Year, Day = DayNumber(expense.Date), Kind = "expense" },
            EmptyClient, EmptyIssuer, new MemberFacts(), EmptyContract)
        {
            Expense = new ExpenseFacts
            {
                Category = category.Code, Kind = category.Kind, Amount = amount, Vat = vat, Net = amount - vat,
                Kilometres = expense.Kilometres ?? 0m, Days = expense.Days ?? 0,
            },
        };
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return Outcome<ExpenseEvaluation>.Uncovered("category", $"no rule of {set.Id} {set.Version} applies to a '{category.Code}' expense");
        var rule = fired.Value.Rule;
        var share = Math.Clamp(run.Decimal(fired.Value.Value, set, rule), 0m, 1m);
        var reimbursed = run.Round(run.Result(set, args, rule, NamedResult.Reimbursed));
        var recoverable = run.Round(vat * share);
        run.Mention(set, args, rule);

        return Outcome<ExpenseEvaluation>.Success(new ExpenseEvaluation
        {
            Country = manifest.Country,
            Currency = manifest.Currency,
            Date = expense.Date,
            Category = category.Code,
            Kind = category.Kind,
            Amount = category.Kind == ExpenseKinds.Receipt ? amount : reimbursed,
            Vat = vat,
            DeductibleShare = share,
            RecoverableVat = recoverable,
            Reimbursed = reimbursed,
            Charged = reimbursed - recoverable,
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    /// <summary>
    /// A country's annual author-rights ceiling on a date, as its rule set computes it for a member with no income yet,
    /// so pages can warn before an invoice crosses it; null where the country has no such rule set or its regime no ceiling.
    /// </summary>
    public decimal? AuthorRightsCeiling(string country, DateOnly date)
    {
        if (book.Country(country) is not { } rules || rules.Find(Topics.AuthorRights, date) is not { } set) return null;
        var manifest = rules.Plugin.Manifest;
        using var run = new Run(manifest, date, explain: false);
        RuleBudget.Begin();
        var facts = new Facts(new DocumentFacts { Country = manifest.Country, Year = date.Year, Day = DayNumber(date) },
            EmptyClient, EmptyIssuer, new MemberFacts(), EmptyContract);
        var args = run.Arguments(set, facts);
        try
        {
            return run.Fire(set, args, null) is { } fired ? run.OptionalResult(set, args, fired.Rule, NamedResult.Ceiling) : null;
        }
        catch (RuleFailedException)
        {
            return null; // only a warning's threshold: the document's own evaluation reports the failure
        }
    }

    private static MemberFacts MemberFactsFor(MemberInfo? member) => MemberFactsFor(new MemberFacts(), member);

    private static MemberFacts MemberFactsFor(MemberFacts facts, MemberInfo? member)
    {
        if (member is not null)
            (facts.AuthorRightsYearToDate, facts.HasArtistAttestation, facts.Age, facts.ProfessionalIncomeYearToDate) =
                (member.AuthorRightsYearToDate, member.HasArtistAttestation, member.Age ?? 0, member.ProfessionalIncomeYearToDate ?? 0m);
        return facts;
    }

    private static int DayNumber(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    private static Outcome<T> Invalid<T>(string field, string message) where T : class =>
        Outcome<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static readonly LineFacts EmptyLine = new();
    private static readonly ClientFacts EmptyClient = new();
    private static readonly IssuerFacts EmptyIssuer = new();
    private static readonly ContractFacts EmptyContract = new();
    private static readonly ExpenseFacts EmptyExpense = new();

    // A struct: one per document, passed to each topic, never kept.
    private readonly record struct Facts(DocumentFacts Doc, ClientFacts Client, IssuerFacts Issuer, MemberFacts Member, ContractFacts Contract)
    {
        public ExpenseFacts Expense { get; init; } = EmptyExpense;
    }
}
