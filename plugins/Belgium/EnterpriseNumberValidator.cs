using Smart.Rules.Plugins;

namespace Smart.Plugins.Belgium;

/// <summary>
/// The enterprise number (numéro d'entreprise / ondernemingsnummer), which is also the VAT number after "BE":
/// 10 digits starting with 0 or 1, the last two being 97 − (first eight mod 97).
/// </summary>
public sealed class EnterpriseNumberValidator(bool asVatNumber) : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-/");
        if (compact.StartsWith("BE", StringComparison.Ordinal)) compact = compact[2..];
        // Numbers issued before 2003 had 9 digits; the leading 0 was added later.
        if (compact.Length == 9) compact = "0" + compact;
        if (compact.Length != 10 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("A Belgian enterprise number has 10 digits.");
        if (compact[0] is not ('0' or '1')) return IdentifierCheck.Invalid("A Belgian enterprise number starts with 0 or 1.");
        // Exactly 97 − (first eight mod 97): 98 is congruent to 01 but never issued, and Peppol (PEPPOL-COMMON-R043) refuses it.
        if (CheckDigits.Number(compact[8..]) != 97 - CheckDigits.Number(compact[..8]) % 97)
            return IdentifierCheck.Invalid("The check digits of the Belgian enterprise number do not match.");
        return IdentifierCheck.Valid(asVatNumber ? "BE" + compact : $"{compact[..4]}.{compact[4..7]}.{compact[7..]}");
    }
}
