using Smart.Rules.Plugins;

namespace Smart.Plugins.Austria;

/// <summary>
/// The Umsatzsteuer-Identifikationsnummer: ATU + 8 digits. Weighting the first seven digits 1,2,1,2,1,2,1
/// and adding the digits of each product gives S; the last digit is (96 − S) mod 10 (BMF).
/// </summary>
public sealed class UidValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-/");
        if (compact.StartsWith("AT", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length != 9 || compact[0] != 'U' || !CheckDigits.IsDigits(compact[1..]))
            return IdentifierCheck.Invalid("An Austrian UID is ATU and 8 digits.");
        var digits = compact[1..];
        return digits[7] - '0' == CheckDigit(digits[..7])
            ? IdentifierCheck.Valid("ATU" + digits)
            : IdentifierCheck.Invalid("The UID check digit does not match.");
    }

    private static int CheckDigit(string sevenDigits)
    {
        var sum = 0;
        for (var i = 0; i < sevenDigits.Length; i++)
        {
            var product = (sevenDigits[i] - '0') * (i % 2 == 0 ? 1 : 2);
            sum += product / 10 + product % 10;
        }
        return (96 - sum) % 10;
    }
}
