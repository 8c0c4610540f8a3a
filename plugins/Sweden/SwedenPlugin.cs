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
}
