using Smart.Rules.Plugins;

namespace Smart.Plugins.Italy;

public sealed class ItalyPlugin : ICountryPlugin
{
    public string Country => "IT";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new PartitaIvaValidator(asVatNumber: true),
        [IdentifierKind.CompanyNumber] = new PartitaIvaValidator(asVatNumber: false),
        [IdentifierKind.PersonalNumber] = new CodiceFiscaleValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(ItIva)];

    /// <summary>Every Italian invoice goes through the SdI as a FatturaPA.</summary>
    public Smart.Rules.EInvoicing.IEInvoiceFormat EInvoiceFormat { get; } = new FatturaPaFormat();
}
