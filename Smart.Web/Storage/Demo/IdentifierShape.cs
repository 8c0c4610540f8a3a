using System.Globalization;
using System.Text;
using Smart.Rules.Plugins;

namespace Smart.Web.Storage.Demo;

/// <summary>
/// Makes identifiers with valid check digits without knowing any country's algorithm: it fills a shape with random
/// characters and keeps the first candidate the country plugin's validator accepts, in the validator's normal form.
/// Shape notation: # a digit, @ a letter, [abc] one of the listed characters, {yy} {yyyy} {MM} {dd} the birth date,
/// {MM|ALPHABET} the birth month's letter in ALPHABET, {CompanyNumber} the letters and digits of the company number;
/// anything else is written as is.
/// </summary>
public static class IdentifierShape
{
    private const int Attempts = 10_000;

    public static string? Generate(string shape, IIdentifierValidator validator, Random random, DateOnly birthDate = default, string? companyNumber = null)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var check = validator.Check(Fill(shape, random, birthDate, companyNumber));
            if (check.IsValid) return check.Normalised;
        }
        return null;
    }

    public static string Fill(string shape, Random random, DateOnly birthDate, string? companyNumber)
    {
        var text = new StringBuilder(shape.Length + 8);
        for (var i = 0; i < shape.Length; i++)
        {
            switch (shape[i])
            {
                case '#':
                    text.Append((char)('0' + random.Next(10)));
                    break;
                case '@':
                    text.Append((char)('A' + random.Next(26)));
                    break;
                case '[':
                    var close = shape.IndexOf(']', i);
                    var choices = shape[(i + 1)..close];
                    text.Append(choices[random.Next(choices.Length)]);
                    i = close;
                    break;
                case '{':
                    var end = shape.IndexOf('}', i);
                    text.Append(Token(shape[(i + 1)..end], birthDate, companyNumber));
                    i = end;
                    break;
                default:
                    text.Append(shape[i]);
                    break;
            }
        }
        return text.ToString();
    }

    private static string Token(string token, DateOnly birthDate, string? companyNumber)
    {
        if (token.StartsWith("MM|", StringComparison.Ordinal)) return token[3..][birthDate.Month - 1].ToString();
        return token switch
        {
            "yy" => (birthDate.Year % 100).ToString("00", CultureInfo.InvariantCulture),
            "yyyy" => birthDate.Year.ToString("0000", CultureInfo.InvariantCulture),
            "MM" => birthDate.Month.ToString("00", CultureInfo.InvariantCulture),
            "dd" => birthDate.Day.ToString("00", CultureInfo.InvariantCulture),
            "CompanyNumber" => new string((companyNumber ?? "").Where(char.IsAsciiLetterOrDigit).ToArray()),
            _ => throw new FormatException($"Unknown identifier shape token {{{token}}}."),
        };
    }
}
