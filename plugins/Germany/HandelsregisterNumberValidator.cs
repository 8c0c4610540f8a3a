using System.Text.RegularExpressions;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Germany;

/// <summary>
/// A register number such as "HRB 12345" (Handels-, Genossenschafts-, Partnerschafts-, Vereins- or Gesellschaftsregister).
/// Register numbers carry no check digit and are only unique together with the register court,
/// so this is a format check only.
/// </summary>
public sealed partial class HandelsregisterNumberValidator : IIdentifierValidator
{
    public IdentifierCheck Check(string value)
    {
        var match = Format().Match((value ?? "").Trim().ToUpperInvariant());
        if (!match.Success) return IdentifierCheck.Invalid("A German register number looks like \"HRB 12345\" (HRA, HRB, GnR, PR, VR or GsR and up to 6 digits).");
        var register = match.Groups["register"].Value switch
        {
            "GNR" => "GnR",
            "GSR" => "GsR",
            var other => other,
        };
        var suffix = match.Groups["suffix"].Success ? " " + match.Groups["suffix"].Value : "";
        return IdentifierCheck.Valid($"{register} {match.Groups["number"].Value}{suffix}");
    }

    // Some courts add a letter after the number, e.g. Berlin-Charlottenburg's "HRB 12345 B".
    [GeneratedRegex(@"^(?<register>HRA|HRB|GNR|PR|VR|GSR)\s*(?<number>[1-9][0-9]{0,5})(\s*(?<suffix>[A-Z]{1,2}))?$")]
    private static partial Regex Format();
}
