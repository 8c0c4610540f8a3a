using System.Globalization;

namespace Smart.Web.Localization;

/// <summary>
/// A number typed in a form, read the way people in Smart's offices type it. The intranet's cultures write 1.234,56, and the
/// framework's parser would read an English "121.00" as 12100: a price silently a hundred times too high. So a comma or a point
/// are each a decimal separator when alone, thousands are grouped only by three, and the one reading that could be either (a
/// single point before exactly three digits: 1.500) is refused with both readings rather than guessed.
/// </summary>
public static class DecimalText
{
    public enum Problem
    {
        None,
        NotANumber,
        /// <summary>"1.500": one thousand five hundred, or one and a half.</summary>
        Ambiguous,
    }

    public static Problem TryParse(string? text, out decimal value)
    {
        value = 0m;
        var typed = new string((text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '\u202F' && c != '\'').ToArray());
        if (typed.Length == 0) return Problem.NotANumber;
        var negative = typed[0] == '-';
        var digits = negative ? typed[1..] : typed;
        if (digits.Length == 0 || digits.Any(c => !char.IsAsciiDigit(c) && c != '.' && c != ',')) return Problem.NotANumber;

        var lastSeparator = digits.LastIndexOfAny(['.', ',']);
        string whole, fraction;
        if (lastSeparator < 0) (whole, fraction) = (digits, "");
        else if (digits.Contains('.') && digits.Contains(','))
            (whole, fraction) = (digits[..lastSeparator], digits[(lastSeparator + 1)..]); // 1.234,56 or 1,234.56: the last one is the decimal point
        else if (digits.Count(c => c == digits[lastSeparator]) > 1)
            (whole, fraction) = (digits, ""); // 1.234.567: only thousands
        else
        {
            (whole, fraction) = (digits[..lastSeparator], digits[(lastSeparator + 1)..]);
            // A lone point before three digits after a short whole part is how Belgium writes thousands and England decimals.
            if (digits[lastSeparator] == '.' && fraction.Length == 3 && whole.Length is >= 1 and <= 3 && whole[0] != '0') return Problem.Ambiguous;
        }
        if (fraction.Any(c => !char.IsAsciiDigit(c)) || !Grouped(whole, out var wholeDigits) || wholeDigits.Length == 0 && fraction.Length == 0)
            return Problem.NotANumber;
        var normal = (negative ? "-" : "") + (wholeDigits.Length == 0 ? "0" : wholeDigits) + (fraction.Length > 0 ? "." + fraction : "");
        return decimal.TryParse(normal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            ? Problem.None
            : Problem.NotANumber;
    }

    /// <summary>The whole part's digits, when its separators (if any) group them by three after a first group of one to three.</summary>
    private static bool Grouped(string whole, out string digits)
    {
        digits = "";
        var groups = whole.Split('.', ',');
        if (groups.Length == 1)
        {
            digits = whole;
            return true;
        }
        if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3)) return false;
        digits = string.Concat(groups);
        return true;
    }
}
