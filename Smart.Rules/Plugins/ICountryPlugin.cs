namespace Smart.Rules.Plugins;

/// <summary>
/// What a country contributes in code, where JSON expresses it badly: identifier check digits,
/// payment references and the helper functions its rule expressions may call.
/// </summary>
public interface ICountryPlugin
{
    /// <summary>ISO 3166-1 alpha-2 code, upper case, the same as the manifest's.</summary>
    string Country { get; }

    /// <summary>Validators for the country's identifiers, keyed by <see cref="IdentifierKind"/>.</summary>
    IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; }

    /// <summary>The payment reference printed on an invoice, built from a number unique to the invoice.</summary>
    string PaymentReference(long invoiceNumber);

    /// <summary>Static classes whose public static methods rule expressions may call (prefix their names with the country).</summary>
    IReadOnlyList<Type> ExpressionHelpers { get; }

    /// <summary>
    /// The Peppol participant identifier a client is reached at by default, derived from its company or VAT number where the
    /// country's scheme allows (Belgium: 0208 and the enterprise number); null when the country has no such rule.
    /// </summary>
    Smart.Rules.Plugins.ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber) => null;

    /// <summary>The country's own e-invoice format (Italy: FatturaPA); null for the shared Peppol BIS Billing 3.0 UBL.</summary>
    Smart.Rules.EInvoicing.IEInvoiceFormat? EInvoiceFormat => null;
}

public enum IdentifierKind
{
    VatNumber,
    CompanyNumber,
    PersonalNumber,
    PaymentReference,
}

public interface IIdentifierValidator
{
    /// <summary>Checks format and check digits; returns the normalised form or a reason.</summary>
    IdentifierCheck Check(string value);
}

public readonly record struct IdentifierCheck(bool IsValid, string? Normalised, string? Problem)
{
    public static IdentifierCheck Valid(string normalised) => new(true, normalised, null);
    public static IdentifierCheck Invalid(string problem) => new(false, null, problem);
}
