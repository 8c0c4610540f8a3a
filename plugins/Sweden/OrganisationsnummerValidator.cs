using Smart.Rules.Plugins;

namespace Smart.Plugins.Sweden;

/// <summary>The organisationsnummer: 10 digits (NNNNNN-NNNN) with a Luhn check digit.</summary>
public sealed class OrganisationsnummerValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, "-+");
        if (compact.Length != 10 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("An organisationsnummer has 10 digits.");
        return CheckDigits.IsLuhnValid(compact)
            ? IdentifierCheck.Valid($"{compact[..6]}-{compact[6..]}")
            : IdentifierCheck.Invalid("The organisationsnummer check digit does not match.");
    }
}

/// <summary>The VAT number (momsregistreringsnummer): SE + the 10-digit organisationsnummer (or personnummer) + 01.</summary>
public sealed class MomsNumberValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, "-");
        if (compact.StartsWith("SE", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length != 12 || !CheckDigits.IsDigits(compact) || !compact.EndsWith("01", StringComparison.Ordinal))
            return IdentifierCheck.Invalid("A Swedish VAT number is SE, 10 digits and 01.");
        return CheckDigits.IsLuhnValid(compact[..10])
            ? IdentifierCheck.Valid("SE" + compact)
            : IdentifierCheck.Invalid("The check digit of the Swedish VAT number does not match.");
    }
}
