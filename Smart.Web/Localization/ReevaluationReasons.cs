using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>
/// Why documents were re-evaluated, in the reader's language: a person's reason is shown as typed; the reason the app gives when a
/// rule-set version is published ("be/vat version 4 published", stored so in the run and the documents' histories) is translated.
/// </summary>
public static partial class ReevaluationReasons
{
    public static string Published(string key, int number) => $"{key} version {number} published";

    public static string Show(string reason, IStringLocalizer texts) =>
        PublishedReason().Match(reason) is { Success: true } published
            ? texts["{0} version {1} published", published.Groups[1].Value, published.Groups[2].Value].Value
            : reason;

    [GeneratedRegex(@"^(\S+) version (\d+) published$")]
    private static partial Regex PublishedReason();
}
