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

    /// <summary>Peppol scheme 9920: the NIF with its ES prefix (VAT number).</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.VatNumber], vatNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("9920", normalised.Replace(" ", "", StringComparison.Ordinal));
        return null;
    }
}
