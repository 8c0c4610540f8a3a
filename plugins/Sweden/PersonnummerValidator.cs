using System.Globalization;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Sweden;

/// <summary>
/// The personnummer, YYMMDD-NNNC (or YYYYMMDDNNNC): a birth date, a serial and a Luhn check digit over the 10 digits.
/// The separator becomes "+" from the year the holder turns 100; a samordningsnummer adds 60 to the day.
/// </summary>
public sealed class PersonnummerValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var trimmed = CheckDigits.Compact(value, ":");
        var separator = trimmed.Contains('+') ? '+' : '-';
        var compact = CheckDigits.Compact(trimmed, "-+");
        if (compact.Length is not (10 or 12) || !CheckDigits.IsDigits(compact))
            return IdentifierCheck.Invalid("A personnummer has 10 digits (YYMMDD-NNNC) or 12 (YYYYMMDDNNNC).");
        var tail = compact[^10..];
        var month = CheckDigits.Number(tail[2..4]);
        var day = CheckDigits.Number(tail[4..6]);
        if (day > 60) day -= 60;
        // With only two year digits, 29 February is accepted as it exists in some century.
        var year = compact.Length == 12 ? (int)CheckDigits.Number(compact[..4]) : 2000;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, (int)month))
            return IdentifierCheck.Invalid("The personnummer does not start with a valid date.");
        if (!CheckDigits.IsLuhnValid(tail)) return IdentifierCheck.Invalid("The personnummer check digit does not match.");
        return IdentifierCheck.Valid(compact.Length == 12
            ? compact[..8] + "-" + compact[8..]
            : tail[..6] + separator.ToString(CultureInfo.InvariantCulture) + tail[6..]);
    }
}
