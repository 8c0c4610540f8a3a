namespace Smart.Rules.Evaluation;

/// <summary>
/// Checks a document's shape before any rule runs, naming each bad field the way the API's JSON spells it. Every amount and
/// quantity is bounded here, far beyond any real document, so no product or sum of them can overflow further on.
/// </summary>
public static class DocumentValidation
{
    public const int MaxLines = 1_000;
    public const decimal MaxQuantity = 1_000_000m;
    public const decimal MaxAmount = 1_000_000_000m;
    public const decimal MaxContractBudget = 10_000_000m;
    public const decimal MaxDaysOrHours = 100_000m;

    public static Dictionary<string, string[]> Check(InvoiceDocument invoice) => Problems(invoice) ?? [];

    /// <summary>The invoice's problems by field, null when it has none: the evaluator's path, which allocates nothing for a good invoice.</summary>
    internal static Dictionary<string, string[]>? Problems(InvoiceDocument invoice)
    {
        Dictionary<string, string[]>? errors = null;
        CheckCountry(invoice.Country, "country", ref errors);
        CheckDate(invoice.Date, ref errors);
        if (invoice.DueDate is { } due && due < invoice.Date) Add(ref errors, "dueDate", ["the due date is before the invoice date"]);
        if (invoice.Client is null) Add(ref errors, "client", ["the client is required"]);
        else
        {
            if (!ClientKinds.IsKnown(invoice.Client.Kind))
                Add(ref errors, "client.kind", [$"'{invoice.Client.Kind}' is not a client kind: {string.Join(" | ", ClientKinds.All)}"]);
            CheckCountry(invoice.Client.Country, "client.country", ref errors);
        }
        if (invoice.Member is { AuthorRightsYearToDate: < 0 }) Add(ref errors, "member.authorRightsYearToDate", ["must not be negative"]);
        if (invoice.Member is { AuthorRightsYearToDate: > MaxAmount }) Add(ref errors, "member.authorRightsYearToDate", [$"must not exceed {MaxAmount:0}"]);
        if (invoice.Member is { Age: < 0 or > 150 }) Add(ref errors, "member.age", ["must be between 0 and 150"]);
        if (invoice.Member is { ProfessionalIncomeYearToDate: < 0 or > MaxAmount })
            Add(ref errors, "member.professionalIncomeYearToDate", [$"must be between 0 and {MaxAmount:0}"]);
        if (invoice.Lines is null || invoice.Lines.Count == 0) Add(ref errors, "lines", ["an invoice has at least one line"]);
        else if (invoice.Lines.Count > MaxLines) Add(ref errors, "lines", [$"an invoice has at most {MaxLines} lines"]);
        else
            for (var i = 0; i < invoice.Lines.Count; i++)
            {
                var line = invoice.Lines[i];
                if (line is null) { Add(ref errors, $"lines[{i}]", ["a line is required"]); continue; }
                if (!Categories.IsKnown(line.Category))
                    Add(ref errors, $"lines[{i}].category", [$"'{line.Category}' is not a line category: {string.Join(" | ", Categories.All)}"]);
                if (line.WorkKind is not null && !WorkKinds.All.Contains(line.WorkKind))
                    Add(ref errors, $"lines[{i}].workKind", [$"'{line.WorkKind}' is not a kind of work: {string.Join(" | ", WorkKinds.All)}"]);
                if (line.PerformedIn is not null) CheckCountry(line.PerformedIn, $"lines[{i}].performedIn", ref errors);
                var quantityInRange = false;
                if (line.Quantity <= 0) Add(ref errors, $"lines[{i}].quantity", ["must be greater than zero (a correction is a credit note)"]);
                else if (line.Quantity > MaxQuantity) Add(ref errors, $"lines[{i}].quantity", [$"must not exceed {MaxQuantity:0}"]);
                else quantityInRange = true;
                if (line.UnitPrice < 0) Add(ref errors, $"lines[{i}].unitPrice", ["must not be negative"]);
                // Only a price above MaxAmount / MaxQuantity can be above MaxAmount or take the line past it: one comparison for nearly
                // every line, and no multiplication (both bounded above, the product cannot overflow).
                else if (line.UnitPrice > MaxAmount / MaxQuantity)
                {
                    if (line.UnitPrice > MaxAmount) Add(ref errors, $"lines[{i}].unitPrice", [$"must not exceed {MaxAmount:0}"]);
                    else if (quantityInRange && line.Quantity * line.UnitPrice > MaxAmount)
                        Add(ref errors, $"lines[{i}].unitPrice", ["the line amount is beyond any invoice this cooperative issues"]);
                }
            }
        return errors;
    }

    public static Dictionary<string, string[]> Check(ContractDocument contract)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCountry(contract.Country, "country", errors);
        CheckDate(contract.Date, errors);
        if (contract.EndDate is { } end && end < contract.Date) errors["endDate"] = ["the contract ends before it starts"];
        if (!JobCategories.All.Contains(contract.JobCategory ?? ""))
            errors["jobCategory"] = [$"'{contract.JobCategory}' is not a job category: {string.Join(" | ", JobCategories.All)}"];
        if (contract.Budget <= 0) errors["budget"] = ["must be greater than zero"];
        if (contract.Budget > MaxContractBudget) errors["budget"] = ["is beyond any employment budget of one contract"];
        if (contract.Days < 0) errors["days"] = ["must not be negative"];
        else if (contract.Days > MaxDaysOrHours) errors["days"] = [$"must not exceed {MaxDaysOrHours:0}"];
        if (contract.Hours < 0) errors["hours"] = ["must not be negative"];
        else if (contract.Hours > MaxDaysOrHours) errors["hours"] = [$"must not exceed {MaxDaysOrHours:0}"];
        if (contract.Member is { AuthorRightsYearToDate: < 0 or > MaxAmount }) errors["member.authorRightsYearToDate"] = [$"must be between 0 and {MaxAmount:0}"];
        if (contract.Member is { Age: < 0 or > 150 }) errors["member.age"] = ["must be between 0 and 150"];
        if (contract.Member is { ProfessionalIncomeYearToDate: < 0 or > MaxAmount })
            errors["member.professionalIncomeYearToDate"] = [$"must be between 0 and {MaxAmount:0}"];
        return errors;
    }

    /// <summary>The shape of a claim; which amounts its category needs is checked once the category's kind is known.</summary>
    public static Dictionary<string, string[]> Check(ExpenseDocument expense)
    {
        var errors = new Dictionary<string, string[]>();
        CheckCountry(expense.Country, "country", errors);
        CheckDate(expense.Date, errors);
        if (string.IsNullOrWhiteSpace(expense.Category)) errors["category"] = ["is required"];
        if (expense.Amount is < 0) errors["amount"] = ["must not be negative"];
        else if (expense.Amount > MaxAmount) errors["amount"] = [$"must not exceed {MaxAmount:0}"];
        if (expense.Vat is < 0) errors["vat"] = ["must not be negative"];
        else if (expense.Vat > (expense.Amount ?? 0m)) errors["vat"] = ["must not exceed the amount it is part of"];
        if (expense.VatRate is < 0 or > 1) errors["vatRate"] = ["must be between 0 and 1 (0.21 for 21 %)"];
        if (expense.Kilometres is < 0) errors["kilometres"] = ["must not be negative"];
        else if (expense.Kilometres > MaxDaysOrHours) errors["kilometres"] = [$"must not exceed {MaxDaysOrHours:0}"];
        if (expense.Days is < 0) errors["days"] = ["must not be negative"];
        else if (expense.Days > MaxDaysOrHours) errors["days"] = [$"must not exceed {MaxDaysOrHours:0}"];
        return errors;
    }

    private static void CheckCountry(string? country, string field, Dictionary<string, string[]> errors)
    {
        Dictionary<string, string[]>? some = errors;
        CheckCountry(country, field, ref some);
    }

    private static void CheckCountry(string? country, string field, ref Dictionary<string, string[]>? errors)
    {
        if (string.IsNullOrWhiteSpace(country)) Add(ref errors, field, ["is required (ISO 3166-1 alpha-2, e.g. BE)"]);
        // Checked by hand, not with LINQ: every document passes here, twice.
        else if (country.Length != 2 || !char.IsAsciiLetter(country[0]) || !char.IsAsciiLetter(country[1]))
            Add(ref errors, field, [$"'{country}' is not a two-letter country code"]);
    }

    private static void CheckDate(DateOnly date, Dictionary<string, string[]> errors)
    {
        if (date == default) errors["date"] = ["is required (yyyy-MM-dd)"];
    }

    private static void CheckDate(DateOnly date, ref Dictionary<string, string[]>? errors)
    {
        if (date == default) Add(ref errors, "date", ["is required (yyyy-MM-dd)"]);
    }

    private static void Add(ref Dictionary<string, string[]>? errors, string field, string[] messages) => (errors ??= [])[field] = messages;
}
