using System.Globalization;

namespace Smart.Web.Localization;

/// <summary>An amount written with its currency in a culture: "1.234,56 €" in fr-BE, "1.234,56 SEK" for a Swedish amount.</summary>
public static class Money
{
    /// <summary>
    /// The culture's own symbol when it is the currency of the culture's country (€ for EUR in the -BE cultures), otherwise
    /// the ISO code, which no reader confuses (kr is also the Danish and Norwegian symbol).
    /// </summary>
    public static string Format(decimal amount, string currency, CultureInfo? culture = null, int minorUnit = 2)
    {
        culture ??= CultureInfo.CurrentCulture;
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencyDecimalDigits = minorUnit;
        var code = currency.ToUpperInvariant();
        if (!string.Equals(RegionOf(culture)?.ISOCurrencySymbol, code, StringComparison.Ordinal))
        {
            format.CurrencySymbol = code;
            // A three-letter code is always set apart from the number: the culture's pattern with a space.
            format.CurrencyPositivePattern = format.CurrencyPositivePattern switch { 0 => 2, 1 => 3, var p => p };
            format.CurrencyNegativePattern = format.CurrencyNegativePattern switch { 0 or 1 or 2 => 12, 3 => 9, 5 => 8, var p => p };
        }
        return amount.ToString("C", format);
    }

    private static RegionInfo? RegionOf(CultureInfo culture)
    {
        try { return culture.IsNeutralCulture || culture.Name.Length == 0 ? null : new RegionInfo(culture.Name); }
        catch (ArgumentException) { return null; }
    }
}
