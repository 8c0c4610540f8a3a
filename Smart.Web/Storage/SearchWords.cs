using System.Globalization;
using System.Text;

namespace Smart.Web.Storage;

/// <summary>
/// The lower-case, accent-free words a directory row is found by. Each row stores its words in an indexed array and
/// a search asks for a word starting with each typed one, so a search reads the index instead of every row.
/// </summary>
public static class SearchWords
{
    /// <summary>The words of a row: each text's whitespace-separated tokens, compacted ("jean-pierre" → "jeanpierre") and split into their parts ("jean", "pierre").</summary>
    public static List<string> Of(params string?[] texts)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            foreach (var token in Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                var compact = Compact(token);
                if (compact.Length > 0) words.Add(compact);
                foreach (var part in token.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
                    if (Compact(part) is { Length: > 0 } word) words.Add(word);
            }
        }
        return words.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The words a user typed, each to be matched as the start of a row's word; "0123.456" is one word, as stored.</summary>
    public static IReadOnlyList<string> OfQuery(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : Fold(text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Compact).Where(w => w.Length > 0).Distinct().ToList();

    /// <summary>A sort key that orders names the way a reader expects, whatever their accents and case.</summary>
    public static string SortKey(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Fold(p!).Trim()));

    /// <summary>Lower case without diacritics; letters that do not decompose (ß, ø, æ, ł) spelled as their readers type them.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            folded.Append(lower switch
            {
                'ß' => "ss",
                'ø' => "o",
                'æ' => "ae",
                'œ' => "oe",
                'ł' => "l",
                'đ' => "d",
                'ı' => "i",
                _ => lower.ToString(),
            });
        }
        return folded.ToString();
    }

    private static readonly char[] Separators = ['-', '.', '\'', '’', '@', '/', '_', ',', '(', ')', '&', '+'];

    private static string Compact(string token) => new(token.Where(char.IsLetterOrDigit).ToArray());
}
