using Smart.Rules.Plugins;

namespace Smart.Plugins.Italy;

/// <summary>
/// The partita IVA: 11 digits with a Luhn check digit; digits 1-7 identify the holder (never all zero),
/// digits 8-10 the tax office (001-100, 120, 121, 888, 999). The VAT number is "IT" + partita IVA.
/// </summary>
public sealed class PartitaIvaValidator(bool asVatNumber) : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (compact.StartsWith("IT", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length != 11 || !CheckDigits.IsDigits(compact)) return IdentifierCheck.Invalid("A partita IVA has 11 digits.");
        if (compact[..7] == "0000000") return IdentifierCheck.Invalid("The holder part of a partita IVA cannot be zero.");
        var office = CheckDigits.Number(compact[7..10]);
        if (office is < 1 or > 100 && office is not (120 or 121 or 888 or 999))
            return IdentifierCheck.Invalid("The partita IVA names no known tax office.");
        if (!CheckDigits.IsLuhnValid(compact)) return IdentifierCheck.Invalid("The partita IVA check digit does not match.");
        return IdentifierCheck.Valid(asVatNumber ? "IT" + compact : compact);
    }
}
