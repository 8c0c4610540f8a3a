using Smart.Rules.Plugins;

namespace Smart.Plugins.Netherlands;

public sealed class NetherlandsPlugin : ICountryPlugin
{
    public string Country => "NL";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new BtwIdValidator(),
        [IdentifierKind.CompanyNumber] = new KvkNumberValidator(),
        [IdentifierKind.PersonalNumber] = new BsnValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(NlBtw)];

    /// <summary>Peppol scheme 0106: the KvK number.</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.CompanyNumber], companyNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("0106", new string(normalised.Where(char.IsAsciiDigit).ToArray()));
        return null;
    }
}
