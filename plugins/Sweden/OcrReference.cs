using System.Globalization;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Sweden;

/// <summary>
/// The OCR reference (OCR-nummer) for Bankgiro and Plusgiro payments: digits ending in a Luhn check digit.
/// Payees may also require a length digit; this plugin uses the check digit alone.
/// </summary>
public static class OcrReference
{
    public static string Create(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        var digits = number.ToString(CultureInfo.InvariantCulture);
        return digits + CheckDigits.LuhnCheckDigit(digits);
    }

    public static IdentifierCheck Check(string? value)
    {
        var compact = CheckDigits.Compact(value, "-");
        if (compact.Length is < 2 or > 25 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("An OCR reference has 2 to 25 digits.");
        return CheckDigits.IsLuhnValid(compact)
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The OCR reference check digit does not match.");
    }
}

public sealed class OcrReferenceValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value) => OcrReference.Check(value);
}
