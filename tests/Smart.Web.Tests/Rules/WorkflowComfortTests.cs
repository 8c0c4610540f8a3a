using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// The rule pages' comforts of issue 15: the parameter-level diff above the text diff, discarding a draft, and each role shown the actions
/// it may take and no other (each shown link answers, each hidden one is refused).
/// </summary>
public sealed class WorkflowComfortTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Compliance = "compliance@smart.coop", Approver = "approver@smart.coop", Admin = "admin@smart.coop",
        PartnerFr = "partner.fr@smart.coop", PartnerIt = "partner.it@smart.coop";

    private static readonly string[] Actions = ["import", "new-draft", "edit", "add-value", "discard", "simulate", "submit-form", "publish-form", "return-form", "republish", "export"];

    private static HashSet<string> Shown(IHtmlDocument page) => [.. Actions.Where(id => page.GetElementById(id) is not null)];

    [Fact]
    public async Task The_draft_page_says_which_parameter_changes_from_what_to_what_and_from_when_above_the_text_diff()
    {
        using var officer = await Browser.SignedInAsync(app, Compliance);
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Compliance);
        var addValue = await officer.GetPageAsync($"/Rules/AddValue/{draft.Id}");
        Assert.Equal(HttpStatusCode.Redirect, (await officer.SubmitAsync(addValue.Forms["add-value-form"]!, ("Data.Parameter", "InvoicingContributionRate"),
            ("Data.From", "2027-01-01"), ("Data.Value", "7 %"))).StatusCode);

        var page = await officer.GetPageAsync($"/Rules/Version/{draft.Id}");

        var change = Assert.Single(page.QuerySelectorAll("#parameter-changes [data-parameter]"));
        Assert.Equal(("InvoicingContributionRate", "2027-01-01"), (change.GetAttribute("data-parameter"), change.GetAttribute("data-from")));
        // en-BE writes a decimal comma.
        Assert.Equal("6,5 %", change.QuerySelector("[data-field=before]")!.TextContent.Trim());
        Assert.Equal("7 %", change.QuerySelector("[data-field=after]")!.TextContent.Trim());
        Assert.True(page.GetElementById("parameter-changes")!.CompareDocumentPosition(page.GetElementById("diff")!).HasFlag(AngleSharp.Dom.DocumentPositions.Following));

        // The approver reads the same lines in French.
        using var approver = await Browser.SignedInAsync(app, Approver);
        await approver.SubmitAsync((await approver.GetPageAsync("/")).Forms["language-picker"]!, ("culture", Smart.Web.Localization.IntranetCultures.French));
        var french = await approver.GetPageAsync($"/Rules/Version/{draft.Id}");
        Assert.Contains("à partir du", french.QuerySelector("#parameter-changes [data-parameter]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Its_author_discards_a_draft_after_a_confirmation_it_leaves_the_lists_and_the_audit_says_who()
    {
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/Version/{draft.Id}");
        // Without JavaScript the button leads to the page with the dialog open.
        Assert.Equal("discard-dialog", page.GetElementById("discard")!.GetAttribute("data-opens"));
        Assert.Null(page.QuerySelector("#discard-dialog[open]"));
        var confirming = await partner.GetPageAsync($"/Rules/Version/{draft.Id}?confirm=discard");
        Assert.NotNull(confirming.QuerySelector("#discard-dialog[open]"));

        var response = await partner.SubmitAsync(confirming.Forms["discard-form"]!);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Rules/RuleSet", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var stored = (await app.Services.GetRequiredService<IRuleSetStore>().GetAsync(draft.Id))!;
        Assert.Equal(RuleSetVersionStatus.Discarded, stored.Status);
        var ruleSet = await partner.FollowAsync(response);
        Assert.Null(ruleSet.QuerySelector($"#versions tr[data-version='{draft.Id}']"));
        Assert.Contains(ruleSet.QuerySelectorAll("#audit [data-change=status]"), c => c.TextContent.Contains("discarded", StringComparison.Ordinal));
        using var officer = await Browser.SignedInAsync(app, Compliance);
        var index = await officer.GetPageAsync("/Rules");
        Assert.Null(index.QuerySelector($"#pending tr[data-version='{draft.Id}']"));
        var gone = await officer.GetPageAsync($"/Rules/Version/{draft.Id}");
        Assert.Equal("discarded", gone.QuerySelector("#version-title [data-status]")!.GetAttribute("data-status"));
        Assert.Empty(Shown(gone).Intersect(["edit", "add-value", "discard", "submit-form"]));
        var audit = await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(AuditedEntity.RuleSet, "fr/contribution.json", 200);
        Assert.Contains(audit, e => e.Actor == PartnerFr && e.Changes.Any(c => c.Field == "status" && c.Before == "draft" && c.After == "discarded"));
    }

    [Fact]
    public async Task Another_partner_administrator_cannot_discard_a_compliance_officers_draft_but_a_compliance_officer_may_discard_anyones()
    {
        var officersDraft = await Drafts.NewAsync(app, "fr/contribution.json", Compliance);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/Version/{officersDraft.Id}");
        Assert.Null(page.GetElementById("discard"));
        var refused = await partner.Client.PostAsync($"/Rules/Version/{officersDraft.Id}?handler=Discard",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(page) }));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(RuleSetVersionStatus.Draft, (await app.Services.GetRequiredService<IRuleSetStore>().GetAsync(officersDraft.Id))!.Status);

        var partnersDraft = await Drafts.NewAsync(app, "fr/contribution.json", PartnerFr);
        using var officer = await Browser.SignedInAsync(app, Compliance);
        var confirming = await officer.GetPageAsync($"/Rules/Version/{partnersDraft.Id}?confirm=discard");
        Assert.Equal(HttpStatusCode.Redirect, (await officer.SubmitAsync(confirming.Forms["discard-form"]!)).StatusCode);
        Assert.Equal(RuleSetVersionStatus.Discarded, (await app.Services.GetRequiredService<IRuleSetStore>().GetAsync(partnersDraft.Id))!.Status);
    }

    public static TheoryData<string> Readers => new() { Admin, PartnerFr, PartnerIt, Compliance, Approver };

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Each_role_is_shown_on_the_rule_pages_exactly_the_actions_its_policies_allow(string account)
    {
        var editor = account is Compliance or PartnerFr or PartnerIt;
        var key = account == PartnerIt ? "it/contribution.json" : "fr/contribution.json";
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var draft = await Drafts.NewAsync(app, key, Compliance);
        var submitted = await Drafts.NewAsync(app, key, Compliance);
        Assert.True((await store.SubmitAsync(submitted.Id, "for the access test", new AuditActor(Compliance))).Updated);
        var inForce = (await store.InForceAsync(key))!;
        using var browser = await Browser.SignedInAsync(app, account);

        var index = await browser.GetPageAsync("/Rules");
        Assert.Equal(editor, Shown(index).Contains("import"));
        Assert.Equal(editor ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await browser.Client.GetAsync("/Rules/Import")).StatusCode);

        var ruleSet = await browser.GetPageAsync($"/Rules/RuleSet?key={key}");
        string[] ruleSetActions = editor ? ["export", "new-draft"] : ["export"];
        Assert.Equal(ruleSetActions, Shown(ruleSet).Order(StringComparer.Ordinal));

        var draftPage = await browser.GetPageAsync($"/Rules/Version/{draft.Id}");
        string[] draftActions = account == Compliance ? ["add-value", "discard", "edit", "export", "simulate", "submit-form"]
            : editor ? ["add-value", "edit", "export", "simulate", "submit-form"]
            : ["export", "simulate"];
        Assert.Equal(draftActions, Shown(draftPage).Order(StringComparer.Ordinal));
        foreach (var (action, url) in new[] { ("edit", $"/Rules/Edit/{draft.Id}"), ("add-value", $"/Rules/AddValue/{draft.Id}"), ("simulate", $"/Rules/Simulations/Start/{draft.Id}") })
            Assert.Equal(draftActions.Contains(action) ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await browser.Client.GetAsync(url)).StatusCode);
        if (!draftActions.Contains("discard"))
        {
            var discard = await browser.Client.PostAsync($"/Rules/Version/{draft.Id}?handler=Discard",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(draftPage) }));
            Assert.Equal(HttpStatusCode.Forbidden, discard.StatusCode);
        }

        var submittedPage = await browser.GetPageAsync($"/Rules/Version/{submitted.Id}");
        string[] submittedActions = account == Approver ? ["export", "publish-form", "return-form", "simulate"] : ["export", "simulate"];
        Assert.Equal(submittedActions, Shown(submittedPage).Order(StringComparer.Ordinal));

        var inForcePage = await browser.GetPageAsync($"/Rules/Version/{inForce.Id}");
        string[] inForceActions = editor ? ["export", "republish"] : ["export"];
        Assert.Equal(inForceActions, Shown(inForcePage).Order(StringComparer.Ordinal));
    }

    private static string Token(IHtmlDocument page) => page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
}
