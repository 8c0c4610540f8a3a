using System.Globalization;
using System.Text;

namespace Smart.Rules.Plugins;

/// <summary>
/// ISO 11649 structured creditor reference ("RF" + two check digits + up to 21 letters or digits),
/// the international payment reference that countries without a national scheme of their own use.
/// </summary>
public static class CreditorReference
{
    public const int MaxReferenceLength = 21;

    /// <summary>The reference in its electronic (compact) form, e.g. "RF18539007547034".</summary>
    public static string Create(string reference)
    {
        var compact = Compact(reference);
        if (compact.Length is 0 or > MaxReferenceLength || !compact.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException($"A creditor reference holds 1 to {MaxReferenceLength} letters or digits.", nameof(reference));
        var check = 98 - CheckDigits.Mod97(compact + "RF00");
        return "RF" + check.ToString("00", CultureInfo.InvariantCulture) + compact;
    }

    public static string Create(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return Create(number.ToString(CultureInfo.InvariantCulture));
    }

    public static bool IsValid(string? value) => Check(value).IsValid;

    /// <summary>Checks format and check digits; the normalised form is the compact one.</summary>
    public static IdentifierCheck Check(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return IdentifierCheck.Invalid("The creditor reference is empty.");
        var compact = Compact(value);
        if (compact.Length is < 5 or > 25) return IdentifierCheck.Invalid("A creditor reference has 5 to 25 characters.");
        if (!compact.StartsWith("RF", StringComparison.Ordinal)) return IdentifierCheck.Invalid("A creditor reference starts with RF.");
        if (!compact.All(char.IsAsciiLetterOrDigit) || !compact[2..4].All(char.IsAsciiDigit))
            return IdentifierCheck.Invalid("A creditor reference holds only letters and digits, with two check digits after RF.");
        return CheckDigits.Mod97(compact[4..] + compact[..4]) == 1
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid("The creditor reference check digits do not match.");
    }

    /// <summary>The paper form: groups of four characters, e.g. "RF18 5390 0754 7034".</summary>
    public static string Format(string reference)
    {
        var compact = Compact(reference);
        var text = new StringBuilder(compact.Length + compact.Length / 4);
        for (var i = 0; i < compact.Length; i += 4)
        {
            if (i > 0) text.Append(' ');
            text.Append(compact, i, Math.Min(4, compact.Length - i));
        }
        return text.ToString();
    }

    /// <summary>A validator for plugins whose payment reference is a creditor reference.</summary>
    public static IIdentifierValidator Validator { get; } = new CreditorReferenceValidator();

    private static string Compact(string value) =>
        new(value.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '.' or ',' or '/' or ':')).Select(char.ToUpperInvariant).ToArray());

    private sealed class CreditorReferenceValidator : IIdentifierValidator
    {
        public IdentifierCheck Check(string value) => CreditorReference.Check(value);
    }
}
