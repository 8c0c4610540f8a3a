using Smart.Rules.Plugins;

namespace Smart.Plugins.Spain;

public sealed class SpainPlugin : ICountryPlugin
{
    public string Country => "ES";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new NifVatValidator(),
        [IdentifierKind.CompanyNumber] = new CifValidator(),
        [IdentifierKind.PersonalNumber] = new PersonalNifValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(EsNif)];
}
