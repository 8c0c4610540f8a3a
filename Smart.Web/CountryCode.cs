using System.Diagnostics.CodeAnalysis;

namespace Smart.Web;

/// <summary>
/// A country as the app compares and stores it: two ASCII letters, upper case ("BE", "FR"). Which countries exist is the plugins'
/// business; this type only keeps one spelling, so "be", " Be " and "BE" are one country everywhere. Entities keep the string
/// (<see cref="Value"/>): LiteDB documents, PostgreSQL columns and JSON stay as they were.
/// </summary>
public readonly record struct CountryCode : IParsable<CountryCode>
{
    private readonly string? value;

    private CountryCode(string value) => this.value = value;

    /// <summary>The code, upper case; empty for <c>default(CountryCode)</c>.</summary>
    public string Value => value ?? "";

    /// <summary>Reads what a person or a request wrote: trimmed, then two ASCII letters in any case; anything else is not a country.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [MaybeNullWhen(false)] out CountryCode code)
    {
        var trimmed = text?.Trim();
        if (IsWellFormed(trimmed))
        {
            code = new CountryCode(trimmed.ToUpperInvariant());
            return true;
        }
        code = default;
        return false;
    }

    /// <summary>Exactly two ASCII letters, in any case, nothing around them: the shape a request's country field must have.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? text) =>
        text is { Length: 2 } && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]);

    public static bool TryParse([NotNullWhen(true)] string? text, IFormatProvider? provider, [MaybeNullWhen(false)] out CountryCode code) =>
        TryParse(text, out code);

    public static CountryCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new FormatException($"'{text}' is not a country code: two letters, such as BE.");

    public static CountryCode Parse(string text, IFormatProvider? provider) => Parse(text);

    /// <summary>
    /// The one spelling of a country as stored and compared (trimmed, upper case), without refusing another shape: for a stored
    /// record's field or a filter, where a value that is not a country must simply match nothing, as before.
    /// </summary>
    public static string Normalise(string country) => country.Trim().ToUpperInvariant();

    /// <summary><see cref="Normalise(string)"/>, null staying null.</summary>
    [return: NotNullIfNotNull(nameof(country))]
    public static string? NormaliseOrNull(string? country) => country is null ? null : Normalise(country);

    public override string ToString() => Value;

    public static implicit operator string(CountryCode code) => code.Value;
}
