using System.Globalization;

namespace Smart.Rules.Plugins;

/// <summary>
/// International check-digit schemes (Luhn, ISO 7064) that several country plugins use, and the reading of an identifier as typed.
/// Country rules stay in the plugins; only the arithmetic lives here.
/// </summary>
public static class CheckDigits
{
    /// <summary>An identifier as typed, upper case, without spaces and the given separators: "be 0403.170.701" → "BE0403170701".</summary>
    public static string Compact(string? value, string separators) =>
        new((value ?? "").Where(c => !char.IsWhiteSpace(c) && !separators.Contains(c)).Select(char.ToUpperInvariant).ToArray());

    /// <summary>The number written by ASCII digits (call after <see cref="IsDigits"/>); culture-free, no sign.</summary>
    public static long Number(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    public static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    /// <summary>Luhn (ISO/IEC 7812-1): valid when the weighted digit sum, doubling every second digit from the right, is a multiple of 10.</summary>
    public static bool IsLuhnValid(string digits) => IsDigits(digits) && LuhnSum(digits, doubleRightmost: false) % 10 == 0;

    /// <summary>The Luhn check digit to append to <paramref name="digits"/>.</summary>
    public static char LuhnCheckDigit(string digits)
    {
        RequireDigits(digits);
        return (char)('0' + (10 - LuhnSum(digits, doubleRightmost: true) % 10) % 10);
    }

    /// <summary>ISO 7064 MOD 97-10 remainder of an alphanumeric string, letters counting A = 10 … Z = 35.</summary>
    public static int Mod97(string alphanumeric)
    {
        if (alphanumeric.Length == 0) throw new ArgumentException("Nothing to check.", nameof(alphanumeric));
        var remainder = 0;
        foreach (var c in alphanumeric)
        {
            var upper = char.ToUpperInvariant(c);
            if (char.IsAsciiDigit(upper)) remainder = (remainder * 10 + (upper - '0')) % 97;
            else if (upper is >= 'A' and <= 'Z') remainder = (remainder * 100 + (upper - 'A' + 10)) % 97;
            else throw new ArgumentException($"'{c}' is not a letter or digit.", nameof(alphanumeric));
        }
        return remainder;
    }

    /// <summary>ISO 7064 MOD 11,10 (hybrid system): valid when the running product ends at 1.</summary>
    public static bool IsMod11_10Valid(string digits) => IsDigits(digits) && Mod11_10Product(digits) == 1;

    /// <summary>The ISO 7064 MOD 11,10 check digit to append to <paramref name="digits"/>.</summary>
    public static char Mod11_10CheckDigit(string digits)
    {
        RequireDigits(digits);
        var product = 10;
        foreach (var c in digits)
        {
            var sum = (product + (c - '0')) % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        return (char)('0' + (11 - product) % 10);
    }

    private static int Mod11_10Product(string digits)
    {
        var product = 10;
        var sum = 0;
        foreach (var c in digits)
        {
            sum = (product + (c - '0')) % 10;
            product = (sum == 0 ? 10 : sum) * 2 % 11;
        }
        return sum;
    }

    private static int LuhnSum(string digits, bool doubleRightmost)
    {
        var sum = 0;
        var doubled = doubleRightmost;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
            doubled = !doubled;
        }
        return sum;
    }

    private static void RequireDigits(string digits)
    {
        if (!IsDigits(digits)) throw new ArgumentException("Only the digits 0-9 are allowed.", nameof(digits));
    }
}
