using Smart.Rules.Plugins;

namespace Smart.Plugins.Spain;

/// <summary>
/// The NIF (número de identificación fiscal), 9 characters, in its three families:
/// DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter) for people, CIF (letter + 7 digits + digit or letter) for entities.
/// </summary>
public static class Nif
{
    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
    private const string CifLetters = "JABCDEFGHI";

    public static string Compact(string? value)
    {
        var compact = CheckDigits.Compact(value, ".-/");
        return compact.StartsWith("ES", StringComparison.Ordinal) ? compact[2..] : compact;
    }

    /// <summary>A person's number: DNI, NIE, or the K, L, M numbers that follow the DNI letter scheme.</summary>
    public static IdentifierCheck CheckPerson(string compact)
    {
        if (compact.Length != 9 || !CheckDigits.IsDigits(compact[1..8])) return IdentifierCheck.Invalid("A Spanish NIF has 9 characters.");
        var body = compact[0] switch
        {
            >= '0' and <= '9' => compact[..8],
            // A NIE counts X, Y and Z as 0, 1 and 2 for its letter.
            'X' or 'Y' or 'Z' => (char)('0' + "XYZ".IndexOf(compact[0])) + compact[1..8],
            // K (minors), L (non-residents) and M (foreigners without NIE) keep the DNI letter over their 7 digits.
            'K' or 'L' or 'M' => compact[1..8],
            _ => null,
        };
        if (body is null) return IdentifierCheck.Invalid("A person's NIF is a DNI (8 digits and a letter) or a NIE (X, Y or Z, 7 digits and a letter).");
        return DniLetters[(int)(CheckDigits.Number(body) % 23)] == compact[8]
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The control letter of the NIF does not match.");
    }

    /// <summary>
    /// An entity's CIF: the control character is the Luhn check digit of the 7 digits, or the letter in "JABCDEFGHI" at that digit;
    /// which of the two an entity type uses is not applied consistently, so both are accepted.
    /// </summary>
    public static IdentifierCheck CheckEntity(string compact)
    {
        if (compact.Length != 9 || !CheckDigits.IsDigits(compact[1..8]) || !"ABCDEFGHJNPQRSUVW".Contains(compact[0]))
            return IdentifierCheck.Invalid("A CIF is a letter (A-W), 7 digits and a control digit or letter.");
        var digit = CheckDigits.LuhnCheckDigit(compact[1..8]);
        return compact[8] == digit || compact[8] == CifLetters[digit - '0']
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The control character of the CIF does not match.");
    }

    public static IdentifierCheck CheckAny(string compact) =>
        compact.Length > 0 && (char.IsAsciiDigit(compact[0]) || "XYZKLM".Contains(compact[0])) ? CheckPerson(compact) : CheckEntity(compact);
}

public sealed class PersonalNifValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value) => Nif.CheckPerson(Nif.Compact(value));
}

public sealed class CifValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value) => Nif.CheckEntity(Nif.Compact(value));
}

/// <summary>The Spanish VAT number: ES + any NIF.</summary>
public sealed class NifVatValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var check = Nif.CheckAny(Nif.Compact(value));
        return check.IsValid ? IdentifierCheck.Valid("ES" + check.Normalised) : check;
    }
}
