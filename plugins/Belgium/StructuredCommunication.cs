using System.Globalization;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Belgium;

/// <summary>
/// The structured communication (communication structurée / gestructureerde mededeling, OGM-VCS), +++DDD/DDDD/DDDCC+++:
/// CC = the first ten digits mod 97, and 97 when that is 0 (Febelfin standard).
/// </summary>
public static class StructuredCommunication
{
    public const long MaxBase = 9_999_999_999;

    /// <summary>The structured communication for a base of at most ten digits, zero-padded on the left.</summary>
    public static string Create(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxBase);
        return Format(number.ToString("0000000000", CultureInfo.InvariantCulture) + CheckOf(number).ToString("00", CultureInfo.InvariantCulture));
    }

    public static IdentifierCheck Check(string? value)
    {
        var compact = CheckDigits.Compact(value, "+/*.-");
        if (compact.Length != 12 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("A structured communication has 12 digits.");
        return CheckOf(CheckDigits.Number(compact[..10])) == CheckDigits.Number(compact[10..])
            ? IdentifierCheck.Valid(Format(compact))
            : IdentifierCheck.Invalid("The check digits of the structured communication do not match.");
    }

    private static long CheckOf(long number) => number % 97 is 0 ? 97 : number % 97;

    private static string Format(string digits) => $"+++{digits[..3]}/{digits[3..7]}/{digits[7..]}+++";
}

public sealed class StructuredCommunicationValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value) => StructuredCommunication.Check(value);
}
