using Smart.Rules.Plugins;

namespace Smart.Plugins.France;

/// <summary>
/// SIREN (9 digits, the company) or SIRET (14 digits, one of its establishments), both with a Luhn check digit.
/// </summary>
public sealed class SirenValidator : IIdentifierValidator
{
    /// <summary>La Poste's establishments share one SIREN; their SIRETs use a digit sum divisible by 5 instead of Luhn.</summary>
    private const string LaPosteSiren = "356000000";
    private const string LaPosteHeadOffice = "35600000000048";

    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (!CheckDigits.IsDigits(compact) || compact.Length is not (9 or 14))
            return IdentifierCheck.Invalid("A SIREN has 9 digits and a SIRET 14.");
        if (!CheckDigits.IsLuhnValid(compact[..9])) return IdentifierCheck.Invalid("The SIREN check digit does not match.");
        if (compact.Length == 9) return IdentifierCheck.Valid(compact);

        var valid = compact.StartsWith(LaPosteSiren, StringComparison.Ordinal) && compact != LaPosteHeadOffice
            ? compact.Sum(c => c - '0') % 5 == 0
            : CheckDigits.IsLuhnValid(compact);
        return valid ? IdentifierCheck.Valid(compact) : IdentifierCheck.Invalid("The SIRET check digit does not match.");
    }
}
