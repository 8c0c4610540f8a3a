using Smart.Rules.Plugins;

namespace Smart.Plugins.Germany;

public sealed class GermanyPlugin : ICountryPlugin
{
    public string Country => "DE";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new UstIdNrValidator(),
        [IdentifierKind.CompanyNumber] = new HandelsregisterNumberValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(DeUst)];

    /// <summary>Peppol scheme 9930: the USt-IdNr..</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.VatNumber], vatNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("9930", normalised.Replace(" ", "", StringComparison.Ordinal));
        return null;
    }
}
