using Smart.Rules.Plugins;

namespace Smart.Plugins.France;

/// <summary>
/// The intra-community VAT number (numéro de TVA intracommunautaire): FR + a two-character key + the SIREN.
/// A numeric key is (SIREN × 100 + 12) mod 97; newer keys hold a letter and use the DGFiP mod 11 scheme.
/// </summary>
public sealed class TvaValidator : IIdentifierValidator
{
    // I and O are never used in a key, to avoid confusion with 1 and 0.
    private const string KeyAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (compact.StartsWith("FR", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length != 11) return IdentifierCheck.Invalid("A French VAT number is FR, a two-character key and the 9-digit SIREN.");
        var key = compact[..2];
        var siren = compact[2..];
        if (!key.All(KeyAlphabet.Contains) || !CheckDigits.IsDigits(siren))
            return IdentifierCheck.Invalid("A French VAT number is FR, a two-character key and the 9-digit SIREN.");
        // Monaco's numbers (SIREN starting 000) are French VAT numbers without being SIRENs.
        if (!siren.StartsWith("000", StringComparison.Ordinal) && !CheckDigits.IsLuhnValid(siren))
            return IdentifierCheck.Invalid("The SIREN in the VAT number has a wrong check digit.");
        return KeyMatches(key, CheckDigits.Number(siren))
            ? IdentifierCheck.Valid("FR" + compact)
            : IdentifierCheck.Invalid("The key of the French VAT number does not match the SIREN.");
    }

    private static bool KeyMatches(string key, long siren)
    {
        if (key.All(char.IsAsciiDigit)) return CheckDigits.Number(key) == (siren * 100 + 12) % 97;
        var check = char.IsAsciiDigit(key[0])
            ? KeyAlphabet.IndexOf(key[0]) * 24 + KeyAlphabet.IndexOf(key[1]) - 10
            : KeyAlphabet.IndexOf(key[0]) * 34 + KeyAlphabet.IndexOf(key[1]) - 100;
        return (siren + 1 + check / 11) % 11 == check % 11;
    }
}
