using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Security;
using Newtonsoft.Json.Linq;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// The four-eyes path of issue 5 end to end through the pages: a compliance officer drafts next year's Belgian contribution rate,
/// the draft's tests run, the officer cannot publish it, an approver does, and evaluations on either side of the date differ.
/// </summary>
public sealed class PublicationTests : IDisposable
{
    private const string Key = "be/contribution.json";
    private readonly SmartWebFactory app = new();

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task An_officer_drafts_next_years_rate_an_approver_publishes_it_and_only_later_documents_use_it()
    {
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var ruleSet = await officer.GetPageAsync($"/Rules/RuleSet?key={Key}&on=2026-06-30");
        // en-BE writes a decimal comma.
        Assert.Equal("6,5 %", ruleSet.QuerySelector("[data-parameter=InvoicingContributionRate] [data-field=value-on]")!.TextContent.Trim());

        // New draft → the draft's own page.
        var draftPage = await officer.FollowAsync(await officer.SubmitAsync(ruleSet.Forms.Single(f => f.Action.Contains("NewDraft", StringComparison.OrdinalIgnoreCase))));
        var draftId = int.Parse(draftPage.Location.PathName.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("draft", draftPage.QuerySelector("#version-title [data-status]")!.GetAttribute("data-status"));

        // The edit itself, in the form for a new dated value: 7 % from 1 January 2027.
        var addValue = await officer.GetPageAsync($"/Rules/AddValue/{draftId}");
        var added = await officer.SubmitAsync(addValue.Forms["add-value-form"]!, ("Data.Parameter", "InvoicingContributionRate"), ("Data.From", "2027-01-01"),
            ("Data.Value", "0.07"), ("Data.Note", "Decided by the general assembly"));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        // A draft invoice of next January, which the change concerns.
        var invoice = await DraftInvoiceAsync("2027-01-15", 2000m);

        // The draft's tests run on its page.
        draftPage = await officer.GetPageAsync($"/Rules/Version/{draftId}");
        Assert.NotNull(draftPage.QuerySelector("#check-passed"));
        Assert.NotEmpty(draftPage.QuerySelectorAll("#tests [data-passed=true]"));
        Assert.Empty(draftPage.QuerySelectorAll("#tests [data-passed=false]"));
        Assert.Contains(draftPage.QuerySelectorAll("#diff [data-diff=inserted]"), line => line.TextContent.Contains("0.07", StringComparison.Ordinal));
        Assert.Equal("2027-01-01", draftPage.QuerySelector("#takes-effect")!.GetAttribute("data-day"));

        // The simulation over next year reports the draft invoice and the contribution difference (0.5 % of 2,000).
        var start = await officer.GetPageAsync($"/Rules/Simulations/Start/{draftId}");
        var started = await officer.SubmitAsync(start.Forms["simulation-form"]!, ("Data.From", "2027-01-01"), ("Data.To", "2027-12-31"));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var simulation = await officer.GetPageAsync(await SimulationFinishedAsync(officer, started.Headers.Location!.OriginalString));
        var affected = simulation.QuerySelectorAll("#affected tbody tr[data-document]").Where(r => r.GetAttribute("data-document") == invoice.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(affected);
        var counts = simulation.QuerySelector("#counts tbody tr[data-status=Draft][data-kind=invoice]")!;
        Assert.Equal("1", counts.QuerySelector("[data-field=count]")!.TextContent.Trim());
        var store = app.Services.GetRequiredService<ISimulationStore>();
        var row = (await store.AffectedAsync(SimulationId(started), 0, 10)).Rows.Single(d => d.DocumentId == invoice);
        Assert.Equal(10.00m, row.After.Contribution - row.Before.Contribution);
        Assert.True(row.WouldChange);

        // Submitted with a reason; the officer has no way to publish it.
        var submitted = await officer.FollowAsync(await officer.SubmitAsync(draftPage.Forms["submit-form"]!, ("SubmitForm.Reason", "Contribution rate 2027 decided by the general assembly")));
        Assert.Equal("submitted", submitted.QuerySelector("#version-title [data-status]")!.GetAttribute("data-status"));
        Assert.Null(submitted.Forms["publish-form"]);
        var token = submitted.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        var selfPublish = await officer.Client.PostAsync($"/Rules/Version/{draftId}?handler=Publish",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token ?? "" }));
        Assert.Equal(HttpStatusCode.Forbidden, selfPublish.StatusCode);
        Assert.Equal(0.065m, await ContributionRateAsync("2027-01-02"));

        // The approver publishes it.
        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        var review = await approver.GetPageAsync($"/Rules/Version/{draftId}");
        var published = await approver.FollowAsync(await approver.SubmitAsync(review.Forms["publish-form"]!));
        Assert.Equal("published", published.QuerySelector("#version-title [data-status]")!.GetAttribute("data-status"));

        Assert.Equal(0.065m, await ContributionRateAsync("2026-12-31"));
        Assert.Equal(0.07m, await ContributionRateAsync("2027-01-02"));

        // On taking effect the draft documents are re-evaluated in the background: the January draft now holds 7 %.
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        for (var waited = 0; (await invoices.GetAsync(invoice))!.Evaluation!.Contribution.Rate != 0.07m; waited += 100)
        {
            Assert.True(waited < 60_000, "The draft invoice was not re-evaluated after publication.");
            await Task.Delay(100);
        }

        // The rule set's history shows every step with who did it.
        var history = await approver.GetPageAsync($"/Rules/RuleSet?key={Key}&on=2027-03-01");
        Assert.Equal("7 %", history.QuerySelector("[data-parameter=InvoicingContributionRate] [data-field=value-on]")!.TextContent.Trim());
        var audit = history.QuerySelectorAll("#audit tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(audit, row => row.Contains("compliance@smart.coop", StringComparison.Ordinal) && row.Contains("draft", StringComparison.Ordinal));
        Assert.Contains(audit, row => row.Contains("compliance@smart.coop", StringComparison.Ordinal) && row.Contains("text", StringComparison.Ordinal));
        Assert.Contains(audit, row => row.Contains("compliance@smart.coop", StringComparison.Ordinal) && row.Contains("submitted", StringComparison.Ordinal)
            && row.Contains("general assembly", StringComparison.Ordinal));
        Assert.Contains(audit, row => row.Contains("approver@smart.coop", StringComparison.Ordinal) && row.Contains("published", StringComparison.Ordinal));
        Assert.Contains(audit, row => row.Contains("approver@smart.coop", StringComparison.Ordinal) && row.Contains("superseded", StringComparison.Ordinal));
        Assert.Equal(["published", "superseded"], history.QuerySelectorAll("#versions tbody tr [data-status]").Select(s => s.GetAttribute("data-status")!).ToArray());
    }

    [Fact]
    public async Task A_broken_draft_cannot_be_submitted_and_the_error_names_the_place()
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.HistoryAsync(Key)).Single();
        var actor = new AuditActor("compliance@smart.coop");
        var badJson = await store.AddDraftAsync(Key, "BE", "contribution", inForce.Text.Replace("\"topic\": \"contribution\",", "\"topic\": \"contribution\"", StringComparison.Ordinal), inForce.Id, actor);
        var badExpression = await store.AddDraftAsync(Key, "BE", "contribution", JObject.Parse(inForce.Text).Also(j => j["workflow"]!["Rules"]![0]!["Expression"] = "doc.Cuntry == \"BE\"").ToString(), inForce.Id, actor);
        var failingTest = await store.AddDraftAsync(Key, "BE", "contribution", WithRateFrom(inForce.Text, "2018-01-01", 0.08m, replace: true), inForce.Id, actor);

        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        foreach (var (draft, place) in new[] { (badJson, "line"), (badExpression, "workflow.Rules[0].Expression"), (failingTest, "tests[0].expect") })
        {
            var page = await officer.GetPageAsync($"/Rules/Version/{draft.Id}");
            var response = await officer.SubmitAsync(page.Forms["submit-form"]!, ("SubmitForm.Reason", "try"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var errors = (await Browser.DocumentAsync(response)).QuerySelector("#errors")!.TextContent;
            Assert.Contains(place, errors, StringComparison.Ordinal);
            Assert.Equal(RuleSetVersionStatus.Draft, (await store.GetAsync(draft.Id))!.Status);
        }
    }

    [Fact]
    public async Task An_approver_cannot_publish_a_version_they_submitted_and_a_partner_cannot_open_another_countrys_rule_sets()
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.HistoryAsync(Key)).Single();
        var approverActor = new AuditActor("approver@smart.coop");
        var draft = await store.AddDraftAsync(Key, "BE", "contribution", WithRateFrom(inForce.Text, "2027-01-01", 0.07m), inForce.Id, approverActor);
        await store.SubmitAsync(draft.Id, "mine", approverActor);

        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        var page = await approver.GetPageAsync($"/Rules/Version/{draft.Id}");
        Assert.Null(page.Forms["publish-form"]);
        Assert.NotNull(page.QuerySelector("#awaiting"));

        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Version/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/RuleSet?key={Key}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Version/{draft.Id}?handler=Export")).StatusCode);
        var list = await partner.GetPageAsync("/Rules/Index");
        Assert.NotEmpty(list.QuerySelectorAll("[data-key^='fr/']"));
        Assert.Empty(list.QuerySelectorAll("[data-key^='be/']"));

        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync("/Rules/Index")).StatusCode);
    }

    /// <summary>An account holding both roles that four eyes keep apart when they meet on one version: compliance officer and approver.</summary>
    private async Task<string> DualRoleAccountAsync()
    {
        const string email = "dual@smart.coop";
        var account = new Account(0, email, "Dana Dual", "", [SmartRoles.ComplianceOfficer, SmartRoles.Approver], []);
        var hasher = app.Services.GetRequiredService<IPasswordHasher<Account>>();
        Assert.NotNull(await app.Services.GetRequiredService<IAccountStore>().AddAsync(account with { PasswordHash = hasher.HashPassword(account, AccountDemoSeed.DemoPassword) }));
        return email;
    }

    /// <summary>Saves a new text through the editor's form, as its user would.</summary>
    private static async Task EditAsync(Browser browser, int id, string text)
    {
        var form = (await browser.GetPageAsync($"/Rules/Edit/{id}")).Forms["edit-form"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(form, ("Data.Text", text))).StatusCode);
    }

    [Fact]
    public async Task An_approver_who_edited_an_earlier_revision_cannot_publish_it_though_someone_else_edited_and_submitted_it_since()
    {
        var dual = await DualRoleAccountAsync();
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.HistoryAsync(Key)).Single();
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        using var both = await Browser.SignedInAsync(app, dual);

        // The officer starts the draft, the dual-role user edits it, the officer edits it again (so is its last editor) and submits it.
        var draft = await store.AddDraftAsync(Key, "BE", "contribution", WithRateFrom(inForce.Text, "2027-01-01", 0.07m), inForce.Id, new AuditActor("compliance@smart.coop"));
        await EditAsync(both, draft.Id, WithRateFrom(inForce.Text, "2027-01-01", 0.075m));
        await EditAsync(officer, draft.Id, WithRateFrom(inForce.Text, "2027-01-01", 0.072m));
        var submitted = await officer.SubmitAsync((await officer.GetPageAsync($"/Rules/Version/{draft.Id}")).Forms["submit-form"]!, ("SubmitForm.Reason", "2027 rate"));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var version = (await store.GetAsync(draft.Id))!;
        Assert.Equal((RuleSetVersionStatus.Submitted, "compliance@smart.coop", "compliance@smart.coop", "compliance@smart.coop"),
            (version.Status, version.CreatedBy, version.UpdatedBy, version.SubmittedBy));

        // The dual-role user is offered no decision, and posting one anyway (with their own token) is refused on the page.
        var page = await both.GetPageAsync($"/Rules/Version/{draft.Id}");
        Assert.Null(page.Forms["publish-form"]);
        Assert.Null(page.Forms["return-form"]);
        Assert.NotNull(page.QuerySelector("#awaiting"));
        foreach (var handler in new[] { "Publish", "Return" })
        {
            var forged = page.Forms["language-picker"]!;
            forged.Action = $"/Rules/Version/{draft.Id}?handler={handler}";
            var comment = (AngleSharp.Html.Dom.IHtmlInputElement)page.CreateElement("input");
            (comment.Type, comment.Name, comment.Value) = ("hidden", "ReviewForm.Comment", "looks fine to me");
            forged.AppendChild(comment);
            var refused = await both.SubmitAsync(forged);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("another approver must decide", (await Browser.DocumentAsync(refused)).Body!.TextContent, StringComparison.Ordinal);
            Assert.Equal(RuleSetVersionStatus.Submitted, (await store.GetAsync(draft.Id))!.Status);
        }

        // A third person, an approver who wrote none of it, publishes it.
        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        var published = await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Version/{draft.Id}")).Forms["publish-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal(RuleSetVersionStatus.Published, (await store.GetAsync(draft.Id))!.Status);
    }

    [Fact]
    public async Task Whoever_rolls_back_or_imports_a_version_is_its_author_and_may_not_decide_on_it()
    {
        var dual = await DualRoleAccountAsync();
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var first = (await store.HistoryAsync(Key)).Single();
        using var both = await Browser.SignedInAsync(app, dual);

        var rollback = await both.FollowAsync(await both.SubmitAsync((await both.GetPageAsync($"/Rules/Version/{first.Id}")).Forms
            .Single(f => f.Action.Contains("Republish", StringComparison.OrdinalIgnoreCase))));
        var draftId = int.Parse(rollback.Location.PathName.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        // Someone else submits the rolled-back text: the one who rolled it back still wrote it.
        Assert.True((await store.SubmitAsync(draftId, "back to the shipped rate", new AuditActor("compliance@smart.coop"))).Updated);
        var page = await both.GetPageAsync($"/Rules/Version/{draftId}");
        Assert.Null(page.Forms["publish-form"]);
        Assert.Equal([dual, "compliance@smart.coop"], (await store.GetAsync(draftId))!.Authors);
    }

    [Fact]
    public async Task An_exported_version_is_the_stored_file_and_a_rollback_is_a_new_draft_of_the_earlier_text()
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var first = (await store.HistoryAsync(Key)).Single();
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var export = await officer.Client.GetAsync($"/Rules/Version/{first.Id}?handler=Export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("contribution.json", export.Content.Headers.ContentDisposition!.FileNameStar ?? export.Content.Headers.ContentDisposition.FileName);
        Assert.Equal(first.Text, await export.Content.ReadAsStringAsync());

        var page = await officer.GetPageAsync($"/Rules/Version/{first.Id}");
        var rollback = await officer.FollowAsync(await officer.SubmitAsync(page.Forms.Single(f => f.Action.Contains("Republish", StringComparison.OrdinalIgnoreCase))));
        var draftId = int.Parse(rollback.Location.PathName.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        var draft = (await store.GetAsync(draftId))!;
        Assert.Equal(RuleSetVersionStatus.Draft, draft.Status);
        Assert.Equal(first.Text, draft.Text);
        Assert.Equal(2, draft.Number);
    }

    /// <summary>A draft invoice of a Belgian production unit for a business client, saved through the invoice form as staff.</summary>
    private async Task<int> DraftInvoiceAsync(string date, decimal net)
    {
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>().SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var saved = await staff.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Data.Issuer", "smartcoop"),
            ("Data.Date", date), ("Data.DueDate", ""), ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", net.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        return int.Parse(saved.Headers.Location!.OriginalString.Split('?')[0].Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int SimulationId(HttpResponseMessage started) =>
        int.Parse(started.Headers.Location!.OriginalString.Split('?')[0].Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Polls the progress the page's bar polls until the simulation has ended; returns the page's address.</summary>
    private static async Task<string> SimulationFinishedAsync(Browser browser, string url)
    {
        for (var waited = 0; ; waited += 100)
        {
            var progress = JsonDocument.Parse(await browser.Client.GetStringAsync($"{url.Split('?')[0]}?handler=Progress")).RootElement;
            if (progress.GetProperty("status").GetString() == "Done") return url;
            Assert.NotEqual("Failed", progress.GetProperty("status").GetString());
            Assert.True(waited < 60_000, $"The simulation did not finish: {progress}");
            await Task.Delay(100);
        }
    }

    private async Task<decimal> ContributionRateAsync(string date)
    {
        var body = Documents.DomesticServiceInvoice("BE").Replace("2026-03-15", date, StringComparison.Ordinal);
        var json = await (await app.DemoPartner().PostJsonAsync(Http.InvoicePath, body)).AssertOkAsync();
        return json.GetProperty("contribution").GetProperty("rate").GetDecimal();
    }

    /// <summary>The rule file with a dated value of the contribution rate added (or the first one replaced).</summary>
    internal static string WithRateFrom(string text, string from, decimal rate, bool replace = false)
    {
        var file = JObject.Parse(text);
        var values = (JArray)file["parameters"]!["InvoicingContributionRate"]!["values"]!;
        if (replace) values[0]!["value"] = rate;
        else values.Add(new JObject { ["from"] = from, ["value"] = rate, ["note"] = "test" });
        return file.ToString(Newtonsoft.Json.Formatting.Indented);
    }
}

internal static class JObjectTestExtensions
{
    public static JObject Also(this JObject json, Action<JObject> change)
    {
        change(json);
        return json;
    }
}
