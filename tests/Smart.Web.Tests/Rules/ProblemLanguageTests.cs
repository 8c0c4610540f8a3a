using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// Issue 15: a draft's problems in the reader's language. Smart.Rules writes each as a code and arguments (English by default);
/// the editor, the version page and the refusals write the sentence from the app's resources, naming the field; what a library
/// wrote (the schema validator) stays inside a translated sentence that names the place.
/// </summary>
public sealed partial class ProblemLanguageTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Officer = "compliance@smart.coop";
    private const string Value = "parameters.InvoicingContributionRate.values[0].value";

    [Fact]
    public async Task A_French_officer_checking_a_draft_with_a_wrong_period_and_a_value_out_of_bounds_reads_French_sentences_naming_the_fields()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        var text = WrongPeriodAndValue(draft.Text);
        using var officer = await Browser.SignedInAsync(app, Officer);
        officer.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-BE");

        // The Check button without JavaScript.
        var page = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");
        var form = page.Forms["edit-form"]!;
        form.Action += "?handler=Check";
        var checkedPage = await Browser.DocumentAsync(await officer.SubmitAsync(form, ("Data.Text", text)));
        var problems = checkedPage.QuerySelectorAll("#problems li").ToDictionary(li => li.GetAttribute("data-path")!, li => li.TextContent);
        Assert.Contains("la fin de validité (validTo) précède le début (validFrom)", problems["validTo"], StringComparison.Ordinal);
        Assert.Contains("0.5 est en dehors des bornes déclarées [0, 0.2]", problems[Value], StringComparison.Ordinal);
        Assert.DoesNotContain(problems.Values, p => p.Contains("validTo is before validFrom", StringComparison.Ordinal) || p.Contains("outside the declared bounds", StringComparison.Ordinal));

        // The editor's JSON check: the same sentences, each with its stable code.
        var json = await Drafts.CheckJsonAsync(officer, page, draft.Id, text);
        var period = json.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("path").GetString() == "validTo");
        Assert.Equal(ProblemKinds.ValidToBeforeValidFrom.Code, period.GetProperty("code").GetString());
        Assert.Equal("la fin de validité (validTo) précède le début (validFrom)", period.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_value_the_schema_refuses_is_a_French_or_Dutch_sentence_naming_its_path_around_the_validators_word()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        var text = draft.Text.Replace("\"validFrom\": \"2018-01-01\"", "\"validFrom\": \"1er janvier 2018\"", StringComparison.Ordinal);
        Assert.NotEqual(draft.Text, text);
        foreach (var (culture, sentence) in new[] { ("fr-BE", "Valeur refusée à validFrom : "), ("nl-BE", "Waarde geweigerd bij validFrom: ") })
        {
            using var officer = await Browser.SignedInAsync(app, Officer);
            officer.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
            var page = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");
            var json = await Drafts.CheckJsonAsync(officer, page, draft.Id, text);
            var problem = json.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("path").GetString() == "validFrom");
            Assert.StartsWith(sentence, problem.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(ProblemKinds.SchemaRefused.Code, problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Submitting_a_draft_with_problems_is_refused_in_Dutch_with_each_place()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        await app.Services.GetRequiredService<Smart.Web.Storage.RuleSets.IRuleSetStore>()
            .SaveDraftAsync(draft.Id, WrongPeriodAndValue(draft.Text), draft.Revision, new Smart.Web.Storage.Audit.AuditActor(Officer));
        using var officer = await Browser.SignedInAsync(app, Officer);
        officer.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-BE");
        var page = await officer.GetPageAsync($"/Rules/Version/{draft.Id}");
        var refused = await Browser.DocumentAsync(await officer.SubmitAsync(page.Forms["submit-form"]!, ("SubmitForm.Reason", "Nieuw tarief")));
        var errors = refused.QuerySelector("#errors")!.TextContent;
        Assert.Contains("validTo (regel ", errors, StringComparison.Ordinal);
        Assert.Contains("het einde van de geldigheid (validTo) ligt vóór het begin (validFrom)", errors, StringComparison.Ordinal);
        Assert.Contains("0.5 valt buiten de opgegeven grenzen [0, 0.2]", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("(line ", errors, StringComparison.Ordinal);
    }

    /// <summary>Every sentence Smart.Rules writes has its French and Dutch translation, with the same placeholders.</summary>
    [Fact]
    public void Every_rule_problem_sentence_has_its_French_and_Dutch_translation()
    {
        var missing = new List<string>();
        foreach (var language in new[] { "fr", "nl" })
        {
            var file = Path.Combine(Repo.Root, "Smart.Web", "Resources", "Localization", $"SharedResource.{language}.resx");
            var entries = XDocument.Load(file).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
            foreach (var kind in ProblemKinds.All.Where(k => k != ProblemKinds.Plain))
            {
                if (!entries.TryGetValue(kind.Template, out var translation)) missing.Add($"{language}: {kind.Template}");
                else if (!Placeholders(kind.Template).SetEquals(Placeholders(translation))) missing.Add($"{language}: placeholders differ in {translation}");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        Assert.Equal(ProblemKinds.All.Count, ProblemKinds.All.Select(k => k.Code).Distinct().Count());
    }

    private static string WrongPeriodAndValue(string text)
    {
        var edited = text.Replace("\"validFrom\": \"2018-01-01\",", "\"validFrom\": \"2018-01-01\",\n  \"validTo\": \"2017-12-31\",", StringComparison.Ordinal)
            .Replace("\"value\": 0.065", "\"value\": 0.5", StringComparison.Ordinal);
        Assert.Contains("\"validTo\": \"2017-12-31\"", edited, StringComparison.Ordinal);
        Assert.Contains("\"value\": 0.5", edited, StringComparison.Ordinal);
        return edited;
    }

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
