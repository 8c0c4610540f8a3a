using System.Globalization;

namespace Smart.Rules.RuleSets;

/// <summary>
/// One kind of sentence a rule-file check writes: a stable code, and its English template (<c>{0}</c>, <c>{1}</c>… as
/// <see cref="string.Format(string, object[])"/> reads them). The English is the default text; an app shows the template's
/// translation with the same arguments.
/// </summary>
public sealed record ProblemKind(string Code, string Template)
{
    /// <summary>This sentence with its arguments: numbers and dates written as the rule file writes them, a nested text kept as one.</summary>
    public ProblemText With(params object?[] arguments) => new(this, [.. arguments.Select(Argument)]);

    private static object Argument(object? value) => value switch
    {
        null => "",
        ProblemText text => text,
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A sentence of a kind with its arguments, each a text (a name, a path, a figure as written) or a nested sentence.</summary>
public sealed record ProblemText(ProblemKind Kind, IReadOnlyList<object> Arguments)
{
    public string Code => Kind.Code;

    /// <summary>The sentence in English, as the API and logs show it.</summary>
    public string English => Render((template, arguments) => string.Format(CultureInfo.InvariantCulture, template, arguments));

    /// <summary>The sentence written by a translation of templates: each nested sentence first, then this one's template.</summary>
    public string Render(Func<string, object[], string> write) =>
        write(Kind.Template, [.. Arguments.Select(a => a is ProblemText nested ? nested.Render(write) : a)]);

    public override string ToString() => English;
}

/// <summary>
/// Every sentence the rule-file checks write (<see cref="RuleSetLoader"/>, <see cref="Topics"/>, <see cref="RuleBook"/>,
/// <see cref="RuleSetTests"/>, <see cref="RuleSetText"/>). Messages that come from a library (the JSON reader, the schema
/// validator, the expression compiler, an evaluation) are an argument of a sentence that names the place.
/// </summary>
public static class ProblemKinds
{
    /// <summary>A message made elsewhere, shown as it is.</summary>
    public static readonly ProblemKind Plain = new("plain", "{0}");

    // Reading the file
    public static readonly ProblemKind FileTooLong = new("file-too-long", "the file has {0} characters, more than {1}");
    public static readonly ProblemKind NotJson = new("not-json", "not valid JSON at {0}: {1}");
    public static readonly ProblemKind NumberTooLarge = new("number-too-large", "{0} is beyond the numbers a rule can use");
    public static readonly ProblemKind FieldRequired = new("field-required", "'{0}' is required");
    public static readonly ProblemKind FieldUnknown = new("field-unknown", "'{0}' is not a known field");
    public static readonly ProblemKind SchemaRefused = new("schema-refused", "value refused at {0}: {1}");
    public static readonly ProblemKind FileUnreadable = new("file-unreadable", "the file cannot be read as a rule set: {0}");
    public static readonly ProblemKind TopicNotFileName = new("topic-not-file-name", "topic '{0}' does not match the file name '{1}'");

    // Periods and parameters
    public static readonly ProblemKind ValidToBeforeValidFrom = new("valid-to-before-valid-from", "validTo is before validFrom");
    public static readonly ProblemKind ValueOfNoType = new("value-of-no-type", "a value is a number, a text, true/false or a list of numbers");
    public static readonly ProblemKind ValueTypeChanges = new("value-type-changes", "this value is a {0} but earlier ones are {1}");
    public static readonly ProblemKind TypeNumber = new("type-number", "number");
    public static readonly ProblemKind TypeText = new("type-text", "text");
    public static readonly ProblemKind TypeTrueFalse = new("type-true-false", "true/false");
    public static readonly ProblemKind TypeNumbers = new("type-numbers", "list of numbers");
    public static readonly ProblemKind ValuesSameDay = new("values-same-day", "two values take effect on {0}: the periods overlap");
    public static readonly ProblemKind ValuesNotInOrder = new("values-not-in-order", "dated values must be in date order: {0} comes after {1}");
    public static readonly ProblemKind OutsideUnit = new("outside-unit", "{0} is not a {1}: a {1} is from {2} to {3}");
    public static readonly ProblemKind OutsideBounds = new("outside-bounds", "{0} is outside the declared bounds [{1}, {2}]");
    public static readonly ProblemKind NoValueOnFirstDay = new("no-value-on-first-day", "the parameter has no value on the rule set's first day {0}: the period from validFrom is a gap");

    // Rules and expressions
    public static readonly ProblemKind RuleNamedTwice = new("rule-named-twice", "two rules are named '{0}'");
    public static readonly ProblemKind RuleWithoutSource = new("rule-without-source", "rule '{0}' has no legal source in ruleSources");
    public static readonly ProblemKind NestedRules = new("nested-rules", "nested rules and injected workflows are not supported in a rule set: write one flat list");
    public static readonly ProblemKind ActionNotSupported = new("action-not-supported", "only the OutputExpression action is supported, not '{0}'");
    public static readonly ProblemKind MentionNotParameter = new("mention-not-parameter", "mention '{0}' is not a parameter of this rule set");
    public static readonly ProblemKind MentionNotText = new("mention-not-text", "mention '{0}' must be a text parameter");
    public static readonly ProblemKind SourceWithoutRule = new("source-without-rule", "source for '{0}', which is not a rule of the workflow");
    public static readonly ProblemKind ExpressionEmpty = new("expression-empty", "the expression is empty");
    public static readonly ProblemKind ExpressionDoesNotCompile = new("expression-does-not-compile", "the expression at {0} does not compile: {1}");
    public static readonly ProblemKind NotADate = new("not-a-date", "'{0}' is not a date (yyyy-MM-dd)");

    // VAT codes
    public static readonly ProblemKind VatCodesOutsideVat = new("vat-codes-outside-vat", "VAT codes (vatCategory, vatex, natura, exemptionReason) belong to the rules of a vat rule set");
    public static readonly ProblemKind VatCategoryMissing = new("vat-category-missing", "VAT rule '{0}' gives no vatCategory: every VAT rule names the EN 16931 category (UNCL 5305) its e-invoices carry");
    public static readonly ProblemKind VatCategoryUnknown = new("vat-category-unknown", "'{0}' is not a UNCL 5305 VAT category of EN 16931 ({1})");
    public static readonly ProblemKind VatexUnknown = new("vatex-unknown", "'{0}' is not a VATEX code (VATEX-EU-AE, VATEX-EU-132-1I…)");
    public static readonly ProblemKind NaturaUnknown = new("natura-unknown", "'{0}' is not a FatturaPA Natura code (N1 … N7, N2.1, N3.5…)");
    public static readonly ProblemKind ExemptionReasonNotParameter = new("exemption-reason-not-parameter", "exemptionReason '{0}' is not a parameter of this rule set");
    public static readonly ProblemKind ExemptionReasonNotText = new("exemption-reason-not-text", "exemptionReason '{0}' must be a text parameter");
    public static readonly ProblemKind ChargedWithExemption = new("charged-with-exemption", "category {0} is charged VAT: it takes no exemption code or reason (BR-S-10, BR-Z-10)");
    public static readonly ProblemKind ExemptionWithoutReason = new("exemption-without-reason", "category {0} needs the reason no VAT is charged: a vatex code, a mention or an exemptionReason (EN 16931 BR-{0}-10)");

    // What a topic needs
    public static readonly ProblemKind LegalFormsEmpty = new("legal-forms-empty", "a legal-forms rule set lists its legal forms in entries");
    public static readonly ProblemKind LegalFormTwice = new("legal-form-twice", "legal form '{0}' is listed twice");
    public static readonly ProblemKind CategoriesOutsideExpenses = new("categories-outside-expenses", "only an expenses rule set lists categories");
    public static readonly ProblemKind NoRule = new("no-rule", "a {0} rule set needs at least one rule");
    public static readonly ProblemKind OutputMissing = new("output-missing", "rule '{0}' needs an OnSuccess OutputExpression giving {1}");
    public static readonly ProblemKind MeaningVatRate = new("meaning-vat-rate", "the VAT rate");
    public static readonly ProblemKind MeaningContributionRate = new("meaning-contribution-rate", "the contribution rate");
    public static readonly ProblemKind MeaningAmountWithheld = new("meaning-amount-withheld", "the amount withheld");
    public static readonly ProblemKind MeaningInterestRate = new("meaning-interest-rate", "the statutory interest rate");
    public static readonly ProblemKind MeaningDutyAmount = new("meaning-duty-amount", "the duty's amount (0 when not due)");
    public static readonly ProblemKind MeaningDeductibleShare = new("meaning-deductible-share", "the share of the input VAT the cooperative may deduct (0 to 1)");
    public static readonly ProblemKind SuccessEventNotTreatment = new("success-event-not-treatment", "SuccessEvent must be the VAT treatment: {0}");
    public static readonly ProblemKind ResultMissing = new("result-missing", "rule '{0}' must define '{1}' (a LocalParam or a GlobalParam)");
    public static readonly ProblemKind CategoriesEmpty = new("categories-empty", "an expenses rule set lists the expense categories a claim may take in categories");
    public static readonly ProblemKind ExpenseKindUnknown = new("expense-kind-unknown", "'{0}' is not an expense kind: {1}");
    public static readonly ProblemKind CategoryWithoutEnglish = new("category-without-english", "category '{0}' needs at least its English name (en)");
    public static readonly ProblemKind CategoryTwice = new("category-twice", "expense category '{0}' is listed twice");

    // The book: plugins, countries, periods
    public static readonly ProblemKind NoPluginLoaded = new("no-plugin-loaded", "no country plugin for '{0}': its rule sets are not loaded");
    public static readonly ProblemKind NoPlugin = new("no-plugin", "no country plugin for '{0}'");
    public static readonly ProblemKind CountryNotFolder = new("country-not-folder", "country '{0}' is filed under rules/{1}/");
    public static readonly ProblemKind VersionInForceStays = new("version-in-force-stays", "the version in force ({0}) stays until this file is fixed");
    public static readonly ProblemKind PeriodOverlaps = new("period-overlaps", "{0} from {1} overlaps {2} (valid to {3})");
    public static readonly ProblemKind OpenEnd = new("open-end", "open end");
    public static readonly ProblemKind PeriodGap = new("period-gap", "{0} has a gap: {1} ends {2}, this one starts {3}");

    // The file's own tests
    public static readonly ProblemKind TestRuleFailed = new("test-rule-failed", "test '{0}' fails: {1}");
    public static readonly ProblemKind TestInputUnreadable = new("test-input-unreadable", "test '{0}': its input cannot be read: {1}");
    public static readonly ProblemKind TestExpectedObject = new("test-expected-object", "test '{0}' fails: expected an object at '{1}', got {2}");
    public static readonly ProblemKind TestExpectedList = new("test-expected-list", "test '{0}' fails: expected a list at '{1}', got {2}");
    public static readonly ProblemKind TestExpectedNoItems = new("test-expected-no-items", "test '{0}' fails: expected no items at '{1}', got {2}");
    public static readonly ProblemKind TestExpectedMoreItems = new("test-expected-more-items", "test '{0}' fails: expected at least {2} items at '{1}', got {3}");
    public static readonly ProblemKind TestValueDiffers = new("test-value-differs", "test '{0}' fails: '{1}' is {2}, expected {3}");
    public static readonly ProblemKind TestTextDiffers = new("test-text-differs", "test '{0}' fails: '{1}' is {2}, expected it to start with {3}");
    public static readonly ProblemKind Missing = new("missing", "missing");
    public static readonly ProblemKind UntestedDate = new("untested-date", "{0}: no test on {1} (a test the day before a change and one the day it starts)");
    public static readonly ProblemKind UntestedDates = new("untested-dates", "{0}: no test on {1} nor on {2} (a test the day before a change and one the day it starts)");
    public static readonly ProblemKind ParameterFrom = new("parameter-from", "{0} from {1}");
    public static readonly ProblemKind RuleFrom = new("rule-from", "rule {0} from {1}");
    public static readonly ProblemKind RuleTo = new("rule-to", "rule {0} to {1}");

    // What a partner administrator may change
    public static readonly ProblemKind OnlyOfficerCreates = new("only-officer-creates", "only a compliance officer may create a rule set");
    public static readonly ProblemKind PartnerAddsParameter = new("partner-adds-parameter", "a partner administrator cannot add the parameter '{0}'");
    public static readonly ProblemKind PartnerChangesUnbounded = new("partner-changes-unbounded", "'{0}' declares no bounds: it is law or logic, which only a compliance officer may change");
    public static readonly ProblemKind PartnerRemovesParameter = new("partner-removes-parameter", "a partner administrator cannot remove the parameter '{0}'");
    public static readonly ProblemKind PartnerChangesField = new("partner-changes-field", "a partner administrator may change parameter values only, not '{0}'");

    /// <summary>Every kind, for the app's test that each has its translation.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
        [.. typeof(ProblemKinds).GetFields().Where(f => f.FieldType == typeof(ProblemKind)).Select(f => (ProblemKind)f.GetValue(null)!)];
}
