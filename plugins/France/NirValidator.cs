using Smart.Rules.Plugins;

namespace Smart.Plugins.France;

/// <summary>
/// The NIR (numéro de sécurité sociale): sex, year, month, place of birth (5), serial (3) and a key
/// = 97 − (first 13 digits mod 97). Corsica's departments 2A and 2B count as 19 and 18 in the key.
/// </summary>
public sealed class NirValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (compact.Length != 15) return IdentifierCheck.Invalid("A NIR has 15 characters.");
        var department = compact[5..7];
        var digits = department switch
        {
            "2A" => compact[..5] + "19" + compact[7..],
            "2B" => compact[..5] + "18" + compact[7..],
            _ => compact,
        };
        if (!CheckDigits.IsDigits(digits)) return IdentifierCheck.Invalid("A NIR holds digits only, except 2A or 2B for Corsica.");
        return 97 - CheckDigits.Number(digits[..13]) % 97 == CheckDigits.Number(digits[13..])
            ? IdentifierCheck.Valid($"{compact[..1]} {compact[1..3]} {compact[3..5]} {compact[5..7]} {compact[7..10]} {compact[10..13]} {compact[13..]}")
            : IdentifierCheck.Invalid("The NIR key does not match.");
    }
}
