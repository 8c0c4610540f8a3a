using Smart.Rules.Plugins;

namespace Smart.Plugins.Belgium;

public sealed class BelgiumPlugin : ICountryPlugin
{
    public string Country => "BE";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new EnterpriseNumberValidator(asVatNumber: true),
        [IdentifierKind.CompanyNumber] = new EnterpriseNumberValidator(asVatNumber: false),
        [IdentifierKind.PersonalNumber] = new NationalRegisterNumberValidator(),
        [IdentifierKind.PaymentReference] = new StructuredCommunicationValidator(),
    };

    /// <summary>A structured communication (+++DDD/DDDD/DDDCC+++) built from the invoice number.</summary>
    public string PaymentReference(long invoiceNumber) => StructuredCommunication.Create(invoiceNumber);

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(BeVat)];

    /// <summary>Peppol scheme 0208: the enterprise number (its 10 digits), from the company number or the VAT number.</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.CompanyNumber], companyNumber), (Validators[IdentifierKind.VatNumber], vatNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("0208", new string(normalised.Where(char.IsAsciiDigit).ToArray()));
        return null;
    }
}
