using System.Text.RegularExpressions;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Italy;

/// <summary>
/// A person's codice fiscale: surname (3), name (3), year, month letter, day (+40 for women), place (4) and a check letter.
/// Companies use their 11-digit partita IVA instead.
/// </summary>
public sealed partial class CodiceFiscaleValidator : IIdentifierValidator
{
    // Value of a character in an odd (1st, 3rd, …) position; digits 0-9 share the values of A-J.
    private static readonly int[] OddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, "-");
        if (compact.Length != 16) return IdentifierCheck.Invalid("A codice fiscale has 16 characters.");
        // LMNPQRSTUV replace digits (omocodia) when two people would otherwise share a code.
        if (!Format().IsMatch(compact)) return IdentifierCheck.Invalid("The codice fiscale is not in the form AAAAAA00A00A000A.");
        return CheckLetter(compact[..15]) == compact[15]
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The check letter of the codice fiscale does not match.");
    }

    public static char CheckLetter(string first15)
    {
        var sum = 0;
        for (var i = 0; i < first15.Length; i++)
        {
            var c = first15[i];
            var index = char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? OddValues[index] : index;
        }
        return (char)('A' + sum % 26);
    }

    [GeneratedRegex("^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")]
    private static partial Regex Format();
}
