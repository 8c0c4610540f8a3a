using Smart.Rules.Plugins;

namespace Smart.Plugins.Sweden;

public sealed class SwedenPlugin : ICountryPlugin
{
    public string Country => "SE";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new MomsNumberValidator(),
        [IdentifierKind.CompanyNumber] = new OrganisationsnummerValidator(),
        [IdentifierKind.PersonalNumber] = new PersonnummerValidator(),
        [IdentifierKind.PaymentReference] = new OcrReferenceValidator(),
    };

    /// <summary>An OCR reference: the invoice number followed by its Luhn check digit.</summary>
    public string PaymentReference(long invoiceNumber) => OcrReference.Create(invoiceNumber);

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(SeMoms)];

    /// <summary>Peppol scheme 0007: the organisationsnummer (10 digits).</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        // The VAT number is SE, the organisationsnummer and 01.
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.CompanyNumber], companyNumber), (Validators[IdentifierKind.VatNumber], vatNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("0007", new string(normalised.Where(char.IsAsciiDigit).Take(10).ToArray()));
        return null;
    }
}
