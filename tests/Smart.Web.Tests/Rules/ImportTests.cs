using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

public sealed class ImportTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task An_imported_file_becomes_a_draft_of_its_rule_set_and_is_checked_like_any_other()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "rules", "fr", "vat.json")).Replace("\"version\": \"", "\"version\": \"imported-", StringComparison.Ordinal);
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var response = await ImportAsync(officer, "vat.json", text);
        var draftPage = await officer.FollowAsync(response);
        Assert.Equal("draft", draftPage.QuerySelector("#version-title [data-status]")!.GetAttribute("data-status"));
        Assert.Contains("fr/vat.json", draftPage.QuerySelector("#version-title")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(draftPage.QuerySelector("#check-passed"));
        Assert.Contains(draftPage.QuerySelectorAll("#diff [data-diff=inserted]"), line => line.TextContent.Contains("imported-", StringComparison.Ordinal));
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        Assert.Contains(await store.HistoryAsync("fr/vat.json"), v => v.Status == RuleSetVersionStatus.Draft && v.Text.Contains("imported-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vat.json", "{ \"country\": \"FR\", ", "not valid JSON")]
    [InlineData("vat.json", "{ \"topic\": \"vat\" }", "names no country")]
    [InlineData("vat.json", "{ \"country\": \"FR\", \"topic\": \"weather\" }", "no known topic")]
    public async Task A_file_that_names_no_rule_set_is_refused_on_the_file_field(string name, string text, string message)
    {
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var response = await ImportAsync(officer, name, text);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Data.File']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partner_administrator_cannot_import_another_countrys_rule_set()
    {
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var response = await ImportAsync(partner, "vat.json", File.ReadAllText(Path.Combine(Repo.Root, "rules", "be", "vat.json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("BE", (await Browser.DocumentAsync(response)).QuerySelector("[data-valmsg-for='Data.File']")!.TextContent, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> ImportAsync(Browser browser, string fileName, string text)
    {
        var form = await browser.GetPageAsync("/Rules/Import");
        var token = ((IHtmlInputElement)form.QuerySelector("#import-form input[name=__RequestVerificationToken]")!).Value;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(file, "Data.File", fileName);
        return await browser.Client.PostAsync("/Rules/Import", content);
    }
}
