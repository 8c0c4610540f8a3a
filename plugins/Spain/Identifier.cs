using System.Globalization;

namespace Smart.Plugins.Spain;

internal static class Identifier
{
    /// <summary>Upper case, without spaces and the given separators.</summary>
    public static string Compact(string? value, string separators) =>
        new((value ?? "").Where(c => !char.IsWhiteSpace(c) && !separators.Contains(c)).Select(char.ToUpperInvariant).ToArray());

    public static long Number(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
