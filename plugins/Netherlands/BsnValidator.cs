using Smart.Rules.Plugins;

namespace Smart.Plugins.Netherlands;

/// <summary>
/// The burgerservicenummer: 9 digits (shorter ones are zero-padded) passing the elfproef,
/// 9·d1 + 8·d2 + … + 2·d8 − d9 being a multiple of 11.
/// </summary>
public sealed class BsnValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (compact.Length is < 8 or > 9 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("A BSN has 9 digits.");
        compact = compact.PadLeft(9, '0');
        return PassesElfproef(compact)
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The BSN does not pass the elfproef.");
    }

    public static bool PassesElfproef(string nineDigits)
    {
        if (nineDigits.Length != 9 || !CheckDigits.IsDigits(nineDigits) || nineDigits.All(c => c == '0')) return false;
        var sum = -(nineDigits[8] - '0');
        for (var i = 0; i < 8; i++) sum += (9 - i) * (nineDigits[i] - '0');
        return sum % 11 == 0;
    }
}
