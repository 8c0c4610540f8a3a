using Smart.Rules.Plugins;

namespace Smart.Plugins.Netherlands;

/// <summary>
/// The btw-identificatienummer: NL + 9 digits + B + 2 digits. Older numbers pass the elfproef on the 9 digits;
/// those issued to sole traders since 2020 instead satisfy ISO 7064 MOD 97-10 over the whole "NL…B…" string.
/// </summary>
public sealed class BtwIdValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        if (compact.StartsWith("NL", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length is >= 10 and < 12 && compact[^3] == 'B') compact = compact.PadLeft(12, '0');
        if (compact.Length != 12 || compact[9] != 'B' || !CheckDigits.IsDigits(compact[..9]) || !CheckDigits.IsDigits(compact[10..]) || compact[10..] == "00")
            return IdentifierCheck.Invalid("A Dutch VAT number is NL, 9 digits, B and 2 digits.");
        return BsnValidator.PassesElfproef(compact[..9]) || CheckDigits.Mod97("NL" + compact) == 1
            ? IdentifierCheck.Valid("NL" + compact)
            : IdentifierCheck.Invalid("The check digits of the Dutch VAT number do not match.");
    }
}
