using Smart.Rules.Plugins;

namespace Smart.Plugins.Germany;

/// <summary>The Umsatzsteuer-Identifikationsnummer: DE + 9 digits, not starting with 0, checked by ISO 7064 MOD 11,10.</summary>
public sealed class UstIdNrValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-/,");
        if (compact.StartsWith("DE", StringComparison.Ordinal)) compact = compact[2..];
        if (compact.Length != 9 || !CheckDigits.IsDigits(compact) || compact[0] == '0')
            return IdentifierCheck.Invalid("A USt-IdNr. is DE and 9 digits, the first not 0.");
        return CheckDigits.IsMod11_10Valid(compact)
            ? IdentifierCheck.Valid("DE" + compact)
            : IdentifierCheck.Invalid("The USt-IdNr. check digit does not match.");
    }
}
