using Smart.Rules.Plugins;

namespace Smart.Plugins.France;

public sealed class FrancePlugin : ICountryPlugin
{
    public string Country => "FR";

    public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>
    {
        [IdentifierKind.VatNumber] = new TvaValidator(),
        [IdentifierKind.CompanyNumber] = new SirenValidator(),
        [IdentifierKind.PersonalNumber] = new NirValidator(),
        [IdentifierKind.PaymentReference] = CreditorReference.Validator,
    };

    /// <summary>An ISO 11649 creditor reference (RF), in groups of four as printed.</summary>
    public string PaymentReference(long invoiceNumber) => CreditorReference.Format(CreditorReference.Create(invoiceNumber));

    public IReadOnlyList<Type> ExpressionHelpers { get; } = [typeof(FrTva)];

    /// <summary>Peppol scheme 0002: the SIREN (SIRENE register).</summary>
    public ElectronicAddress? PeppolParticipant(string? companyNumber, string? vatNumber)
    {
        foreach (var (validator, value) in new[] { (Validators[IdentifierKind.CompanyNumber], companyNumber) })
            if (!string.IsNullOrWhiteSpace(value) && validator.Check(value) is { IsValid: true, Normalised: { } normalised })
                return new ElectronicAddress("0002", new string(normalised.Where(char.IsAsciiDigit).ToArray()));
        return null;
    }
}
