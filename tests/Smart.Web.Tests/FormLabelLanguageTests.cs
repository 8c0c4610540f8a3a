namespace Smart.Web.Tests;

/// <summary>
/// Form fields rendered by a shared partial take their labels from the partial's texts: a regression test for
/// labels that stayed English in French and Dutch because the partial sees the fields' base type, not the page's command.
/// </summary>
public class FormLabelLanguageTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    public static TheoryData<string, string, string[]> Forms() => new()
    {
        { "/Clients/Create", "fr-BE", ["Type", "Forme juridique", "Numéro de TVA", "Numéro d'entreprise", "Adresse", "Ville"] },
        { "/Clients/Create", "nl-BE", ["Soort", "Rechtsvorm", "Btw-nummer", "Ondernemingsnummer", "Adres", "Gemeente"] },
        { "/Admin/Accounts/Create", "fr-BE", ["Nom affiché", "Mot de passe", "Rôles"] },
        { "/ExpenseClaims/Create", "fr-BE", ["Fournisseur", "Catégorie", "Montant payé, TVA comprise", "TVA sur le ticket ou la facture", "Justificatif"] },
        { "/ExpenseClaims/Create", "nl-BE", ["Leverancier", "Categorie", "Betaald bedrag, btw inbegrepen", "Btw op het bonnetje of de factuur", "Bewijsstuk"] },
        { "/Admin/Accounts/Create", "nl-BE", ["Weergavenaam", "Wachtwoord", "Rollen"] },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Form_labels_follow_the_chosen_language(string url, string culture, string[] expected)
    {
        using var browser = await Browser.SignedInAsync(app, "admin@smart.coop");
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var page = await browser.GetPageAsync(url);
        var labels = page.QuerySelectorAll("label, legend").Select(l => l.TextContent.Trim()).ToList();
        foreach (var label in expected) Assert.True(labels.Contains(label), $"{label} not in {string.Join(" | ", labels)}");
        Assert.DoesNotContain("VAT number", labels);
        Assert.DoesNotContain("Display name", labels);
    }
}
