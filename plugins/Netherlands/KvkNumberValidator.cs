using Smart.Rules.Plugins;

namespace Smart.Plugins.Netherlands;

/// <summary>The KvK number (Kamer van Koophandel): 8 digits. It has no published check digit, so this is a format check only.</summary>
public sealed class KvkNumberValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-");
        return compact.Length == 8 && CheckDigits.IsDigits(compact)
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("A KvK number has 8 digits.");
    }
}
