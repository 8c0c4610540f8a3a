using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Pages.Rules;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// Issue 5's editor: a draft edited as text (saved over its revision only, checked on demand with its failing tests named by place)
/// and the dated-value form partner administrators use within the bounds their country's rule sets declare.
/// </summary>
public sealed class EditorTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Officer = "compliance@smart.coop";
    private const string PartnerFr = "partner.fr@smart.coop";

    [Fact]
    public async Task An_officer_saves_an_edit_and_the_check_shows_the_failing_test_with_its_path_and_line()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        using var officer = await Browser.SignedInAsync(app, Officer);
        var page = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");
        Assert.NotNull(page.QuerySelector("script[src$='/lib/monaco-editor/vs/loader.js']"));

        // 6.5 % → 8 % from the start: the file's own tests still expect 6.5 %.
        var edited = draft.Text.Replace("\"value\": 0.065", "\"value\": 0.08", StringComparison.Ordinal);
        Assert.NotEqual(draft.Text, edited);
        var saved = await officer.FollowAsync(await officer.SubmitAsync(page.Forms["edit-form"]!, ("Data.Text", edited)));
        Assert.NotNull(saved.QuerySelector("#flash"));
        Assert.Equal(edited, (await Store.GetAsync(draft.Id))!.Text);

        // The Check button without JavaScript: the same page with every problem and each test.
        var form = saved.Forms["edit-form"]!;
        form.Action += "?handler=Check";
        var checkedPage = await Browser.DocumentAsync(await officer.SubmitAsync(form));
        Assert.Null(checkedPage.QuerySelector("#check-passed"));
        var problem = checkedPage.QuerySelectorAll("#problems li").First(li => li.GetAttribute("data-path")!.StartsWith("tests[0].expect.contribution.rate", StringComparison.Ordinal));
        Assert.Equal(LineOf(edited, "\"expect\": { \"contribution\": { \"rate\": 0.065"), int.Parse(problem.GetAttribute("data-line")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("0.08", problem.TextContent, StringComparison.Ordinal);
        var failing = checkedPage.QuerySelector("#tests li[data-test='0']")!;
        Assert.Equal("false", failing.GetAttribute("data-passed"));
        Assert.Contains("tests[0].expect.contribution.rate", failing.TextContent, StringComparison.Ordinal);

        // The editor's JSON check of unsaved text: the original text passes, every test listed.
        var json = await Drafts.CheckJsonAsync(officer, checkedPage, draft.Id, draft.Text);
        Assert.True(json.GetProperty("passed").GetBoolean());
        Assert.Equal(0, json.GetProperty("problems").GetArrayLength());
        Assert.All(json.GetProperty("tests").EnumerateArray(), t => Assert.True(t.GetProperty("passed").GetBoolean()));
        // …and a broken expression is named by its path and line.
        var broken = JObject.Parse(draft.Text);
        broken["workflow"]!["Rules"]![0]!["Expression"] = "doc.Nett > 0";
        var brokenText = broken.ToString();
        json = await Drafts.CheckJsonAsync(officer, checkedPage, draft.Id, brokenText);
        Assert.False(json.GetProperty("passed").GetBoolean());
        var expressionProblem = json.GetProperty("problems").EnumerateArray().First(p => p.GetProperty("path").GetString() == "workflow.Rules[0].Expression");
        Assert.Equal(LineOf(brokenText, "\"Expression\": \"doc.Nett > 0\""), expressionProblem.GetProperty("line").GetInt32());
        Assert.Equal(edited, (await Store.GetAsync(draft.Id))!.Text); // checking saves nothing
    }

    [Fact]
    public async Task A_save_over_a_stale_revision_is_refused_and_overwrites_nothing()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        using var officer = await Browser.SignedInAsync(app, Officer);
        var first = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");
        var second = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");

        var firstText = draft.Text.Replace("Contribution is 6.5 percent", "Contribution is 6.5 %", StringComparison.Ordinal);
        await officer.FollowAsync(await officer.SubmitAsync(first.Forms["edit-form"]!, ("Data.Text", firstText)));

        var response = await officer.SubmitAsync(second.Forms["edit-form"]!, ("Data.Text", draft.Text + " "));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = await Browser.DocumentAsync(response);
        Assert.Contains("nothing was saved", refused.QuerySelector("#errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(draft.Text + " ", ((IHtmlTextAreaElement)refused.QuerySelector("textarea[name='Data.Text']")!).Value.Replace("\r\n", "\n", StringComparison.Ordinal)); // kept to copy
        Assert.Equal(firstText, (await Store.GetAsync(draft.Id))!.Text);
    }

    [Fact]
    public async Task A_French_partner_adds_a_dated_value_within_bounds_and_only_that_line_changes()
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/AddValue/{draft.Id}");
        Assert.Equal("0 – 0.2", page.QuerySelector("#parameters [data-parameter=StandardServiceContributionRate] [data-field=bounds]")!.TextContent.Trim());

        var added = await partner.FollowAsync(await partner.SubmitAsync(page.Forms["add-value-form"]!,
            ("Data.Parameter", "StandardServiceContributionRate"), ("Data.From", "2027-01-01"), ("Data.Value", "12 %"),
            ("Data.Unconfirmed", "true"), ("Data.Note", "Decided by the board, not yet announced")));

        Assert.EndsWith($"/Rules/Edit/{draft.Id}", added.Location.PathName, StringComparison.Ordinal);
        var text = (await Store.GetAsync(draft.Id))!.Text;
        var last = JObject.Parse(text)["parameters"]!["StandardServiceContributionRate"]!["values"]!.Last!;
        Assert.Equal("2027-01-01", last.Value<string>("from"));
        Assert.Equal(0.12m, last.Value<decimal>("value"));
        Assert.True(last.Value<bool>("unconfirmed"));
        // The rest of the file keeps its layout: one line more, every other line as it was.
        var before = draft.Text.Split('\n');
        var after = text.Split('\n');
        Assert.Equal(before.Length + 1, after.Length);
        Assert.Equal(1, after.Except(before).Count(line => line.Contains("2027-01-01", StringComparison.Ordinal)));
        // The draft with the new value passes its check for the partner too (no change outside bounded values).
        var json = await Drafts.CheckJsonAsync(partner, added, draft.Id, text);
        Assert.True(json.GetProperty("passed").GetBoolean(), json.ToString());
    }

    [Fact]
    public async Task A_value_outside_the_bounds_is_refused_on_the_value_field_citing_the_bounds()
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/AddValue/{draft.Id}");

        var response = await partner.SubmitAsync(page.Forms["add-value-form"]!,
            ("Data.Parameter", "StandardServiceContributionRate"), ("Data.From", "2027-01-01"), ("Data.Value", "0.25"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = await Browser.DocumentAsync(response);
        var error = refused.QuerySelector("[data-valmsg-for='Data.Value']")!.TextContent;
        Assert.Contains("0.25", error, StringComparison.Ordinal);
        Assert.Contains("0.2", error.Replace("0.25", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(draft.Text, (await Store.GetAsync(draft.Id))!.Text);

        // A date not after the last value is refused on From.
        response = await partner.SubmitAsync(refused.Forms["add-value-form"]!,
            ("Data.Parameter", "StandardServiceContributionRate"), ("Data.From", "2024-04-30"), ("Data.Value", "0.11"));
        var onFrom = (await Browser.DocumentAsync(response)).QuerySelector("[data-valmsg-for='Data.From']")!.TextContent;
        Assert.False(string.IsNullOrWhiteSpace(onFrom));
        Assert.Equal(draft.Text, (await Store.GetAsync(draft.Id))!.Text);
    }

    [Fact]
    public async Task A_dated_value_on_a_form_older_than_the_draft_is_refused_then_added_to_the_newer_text_when_sent_again()
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/AddValue/{draft.Id}");
        var meanwhile = draft.Text.Replace("\"value\": 0.13, \"note\": \"Cooperative policy", "\"value\": 0.125, \"note\": \"Cooperative policy", StringComparison.Ordinal);
        Assert.NotEqual(draft.Text, meanwhile);
        Assert.True((await Store.SaveDraftAsync(draft.Id, meanwhile, draft.Revision, new AuditActor(Officer))).Updated);

        var response = await partner.SubmitAsync(page.Forms["add-value-form"]!,
            ("Data.Parameter", "StandardServiceContributionRate"), ("Data.From", "2027-01-01"), ("Data.Value", "0.11"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = await Browser.DocumentAsync(response);
        Assert.Contains("nothing was added", refused.QuerySelector("#errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(meanwhile, (await Store.GetAsync(draft.Id))!.Text);

        await partner.FollowAsync(await partner.SubmitAsync(refused.Forms["add-value-form"]!));
        var text = (await Store.GetAsync(draft.Id))!.Text;
        Assert.Contains("\"value\": 0.125", text, StringComparison.Ordinal);
        Assert.Equal("2027-01-01", JObject.Parse(text)["parameters"]!["StandardServiceContributionRate"]!["values"]!.Last!.Value<string>("from"));
    }

    [Fact]
    public async Task A_partner_cannot_change_a_parameter_without_bounds_nor_the_rules_in_the_code_editor()
    {
        var draft = await Drafts.NewAsync(app, "fr/vat.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);

        var page = await partner.GetPageAsync($"/Rules/AddValue/{draft.Id}");
        Assert.Null(page.Forms["add-value-form"]); // nothing in the VAT rule set declares bounds
        Assert.NotNull(page.QuerySelector("#no-parameters"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (await partner.GetPageAsync($"/Rules/Edit/{draft.Id}")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forged = await partner.Client.PostAsync($"/Rules/AddValue/{draft.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Data.Revision"] = draft.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Data.Parameter"] = "StandardRate", ["Data.From"] = "2027-01-01", ["Data.Value"] = "0.19",
        }));
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains("StandardRate", (await Browser.DocumentAsync(forged)).QuerySelector("[data-valmsg-for='Data.Parameter']")!.TextContent, StringComparison.Ordinal);

        // The code editor is read-only for them, and a posted change of rule logic is refused naming its place.
        var edit = await partner.GetPageAsync($"/Rules/Edit/{draft.Id}");
        Assert.True(edit.QuerySelector("textarea[name='Data.Text']")!.HasAttribute("readonly"));
        Assert.Null(edit.QuerySelector("#save"));
        var logic = JObject.Parse(draft.Text);
        logic["workflow"]!["Rules"]![0]!["Expression"] = "true";
        var response = await partner.Client.PostAsync($"/Rules/Edit/{draft.Id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = edit.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["Data.Revision"] = draft.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Data.Text"] = logic.ToString(),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("workflow", (await Browser.DocumentAsync(response)).QuerySelector("#text-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(draft.Text, (await Store.GetAsync(draft.Id))!.Text);
    }

    [Fact]
    public async Task A_French_partner_cannot_open_a_Belgian_draft_and_staff_and_approvers_may_not_edit()
    {
        var belgian = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        var french = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        foreach (var url in new[] { $"/Rules/Edit/{belgian.Id}", $"/Rules/AddValue/{belgian.Id}" })
            Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync(url)).StatusCode);
        using var italian = await Browser.SignedInAsync(app, "partner.it@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await italian.Client.GetAsync($"/Rules/Edit/{french.Id}")).StatusCode);

        foreach (var account in new[] { "staff@smart.coop", "approver@smart.coop" })
        {
            using var browser = await Browser.SignedInAsync(app, account);
            foreach (var url in new[] { $"/Rules/Edit/{french.Id}", $"/Rules/AddValue/{french.Id}" })
                Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync(url)).StatusCode);
        }
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync("/Rules/Schema")).StatusCode);
    }

    [Fact]
    public async Task The_app_serves_the_code_editor_and_the_rule_set_schema_itself()
    {
        using var officer = await Browser.SignedInAsync(app, Officer);
        var loader = await officer.Client.GetAsync("/lib/monaco-editor/vs/loader.js");
        Assert.Equal(HttpStatusCode.OK, loader.StatusCode);
        Assert.Contains("AMDLoader", await loader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await officer.Client.GetAsync("/lib/monaco-editor/vs/editor/editor.main.js")).StatusCode);

        var schema = await officer.Client.GetAsync("/Rules/Schema");
        Assert.Equal(HttpStatusCode.OK, schema.StatusCode);
        Assert.Equal("application/schema+json", schema.Content.Headers.ContentType!.MediaType);
        Assert.Equal("https://smart.coop/schemas/ruleset.schema.json", JObject.Parse(await schema.Content.ReadAsStringAsync()).Value<string>("$id"));
        Assert.Equal(HttpStatusCode.Redirect, (await Browser.Open(app).Client.GetAsync("/Rules/Schema")).StatusCode); // sign in first
    }

    [Fact]
    public async Task The_editor_and_the_dated_value_form_speak_French_and_Dutch_errors_included()
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var officer = await Browser.SignedInAsync(app, Officer);
        officer.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-BE");
        var edit = await officer.GetPageAsync($"/Rules/Edit/{draft.Id}");
        Assert.Equal("Ontwerp opslaan", edit.QuerySelector("#save")!.TextContent.Trim());
        Assert.Equal("Controleren en de tests uitvoeren", edit.QuerySelector("#check")!.TextContent.Trim());

        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        partner.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-BE");
        var page = await partner.GetPageAsync($"/Rules/AddValue/{draft.Id}");
        Assert.Equal("Ajouter au brouillon", page.QuerySelector("#add")!.TextContent.Trim());
        var refused = await Browser.DocumentAsync(await partner.SubmitAsync(page.Forms["add-value-form"]!,
            ("Data.Parameter", "ExtendedServiceContributionRate"), ("Data.From", "2027-01-01"), ("Data.Value", "30 %")));
        Assert.Contains("hors des bornes", refused.QuerySelector("[data-valmsg-for='Data.Value']")!.TextContent, StringComparison.Ordinal);
        refused = await Browser.DocumentAsync(await partner.SubmitAsync(refused.Forms["add-value-form"]!,
            ("Data.Parameter", "ExtendedServiceContributionRate"), ("Data.From", ""), ("Data.Value", "0,14")));
        Assert.Contains("Indiquez le jour", refused.QuerySelector("[data-valmsg-for='Data.From']")!.TextContent, StringComparison.Ordinal);
    }

    private IRuleSetStore Store => app.Services.GetRequiredService<IRuleSetStore>();



    private static int LineOf(string text, string fragment)
    {
        var at = text.IndexOf(fragment, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{fragment}' is not in the text");
        return text[..at].Count(c => c == '\n') + 1;
    }
}
