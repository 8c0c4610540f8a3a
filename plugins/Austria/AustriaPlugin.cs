using Smart.Rules.Plugins;

namespace Smart.Plugins.Austria;

public sealed class AustriaPlugin : ICountryPlugin
{
    public string Country => "AT";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new UidValidator(),
        [IdentifierKind.CompanyNumber] = new FirmenbuchNumberValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(AtUid)];

    /// <summary>Peppol scheme 9914: the UID.</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.VatNumber], vatNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("9914", normalised.Replace(" ", "", StringComparison.Ordinal));
        return null;
    }
}
