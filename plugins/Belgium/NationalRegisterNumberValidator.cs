using Smart.Rules.Plugins;

namespace Smart.Plugins.Belgium;

/// <summary>
/// The national register number (numéro de registre national / rijksregisternummer), YY.MM.DD-SSS.CC:
/// CC = 97 − (first nine digits mod 97), with a "2" put in front of the nine digits for people born from 2000.
/// </summary>
public sealed class NationalRegisterNumberValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-/");
        if (compact.Length != 11 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("A Belgian national register number has 11 digits.");
        // BIS numbers add 20 or 40 to the month; a month or day of 0 means the birth date is not fully known.
        var month = CheckDigits.Number(compact[2..4]) % 20;
        var day = CheckDigits.Number(compact[4..6]);
        if (month > 12 || day > 31) return IdentifierCheck.Invalid("The national register number does not start with a birth date.");
        var body = CheckDigits.Number(compact[..9]);
        var check = CheckDigits.Number(compact[9..]);
        if (97 - body % 97 != check && 97 - (2_000_000_000 + body) % 97 != check)
            return IdentifierCheck.Invalid("The check digits of the national register number do not match.");
        return IdentifierCheck.Valid($"{compact[..2]}.{compact[2..4]}.{compact[4..6]}-{compact[6..9]}.{compact[9..]}");
    }
}
