using Newtonsoft.Json.Linq;

namespace Smart.Rules.Tests;

/// <summary>
/// Issue 15: a legal form's name in French and Dutch comes from the official ISO 20275 ELF list, never invented. Where that list
/// gives none (it names a country's forms in its own languages only), the rule file says so, citing the list, and pages keep the
/// English name as the fallback.
/// </summary>
public class LegalFormNameTests
{
    public static TheoryData<string> Countries() => [.. Directory.GetDirectories(Repo.RulesDirectory)
        .Where(d => File.Exists(Path.Combine(d, "legal-forms.json"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Countries))]
    public void Every_legal_form_has_its_French_and_Dutch_name_or_its_file_says_the_official_list_gives_none(string country)
    {
        var file = JObject.Parse(File.ReadAllText(Path.Combine(Repo.RulesDirectory, country, "legal-forms.json")));
        var description = file.Value<string>("description")!;
        foreach (var (language, name) in new[] { ("fr", "French"), ("nl", "Dutch") })
        {
            var lacking = file["entries"]!.Where(e => e["names"]?[language] is null).Select(e => e.Value<string>("code")).ToList();
            var saysNone = description.Contains($"gives no {name} name", StringComparison.Ordinal) || description.Contains($"no French name and no {name} name", StringComparison.Ordinal);
            if (lacking.Count == 0)
            {
                Assert.False(saysNone, $"{country}: every form has its {name} name, yet the description says the list gives none");
                continue;
            }
            Assert.True(saysNone && description.Contains("ISO 20275 ELF code list (GLEIF", StringComparison.Ordinal),
                $"{country}: {string.Join(", ", lacking)} have no {name} name and the description does not say the ISO 20275 list gives none");
        }
    }
}
