using System.Text.RegularExpressions;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Austria;

/// <summary>
/// The Firmenbuchnummer, "FN 122119m": up to six digits and a check letter.
/// The letter's algorithm is not published, so this is a format check only.
/// </summary>
public sealed partial class FirmenbuchNumberValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var compact = CheckDigits.Compact(value, ".-/");
        if (compact.StartsWith("FN", StringComparison.Ordinal)) compact = compact[2..];
        var match = Format().Match(compact);
        return match.Success
            ? IdentifierCheck.Valid($"FN {match.Groups["number"].Value}{match.Groups["letter"].Value.ToLowerInvariant()}")
            : IdentifierCheck.Invalid("A Firmenbuchnummer is FN, up to six digits and a letter (\"FN 122119m\").");
    }

    [GeneratedRegex("^(?<number>[1-9][0-9]{0,5})(?<letter>[A-Z])$")]
    private static partial Regex Format();
}
