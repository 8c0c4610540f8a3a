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
}
