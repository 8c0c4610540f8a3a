using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// Issue 10, F1, F2, F4 and F8 through the app: drafts written to crash or hold the process are checked, shown and refused like any
/// broken draft, for every role that can reach them, and the app keeps answering.
/// </summary>
public sealed class HostileDraftTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Officer = "compliance@smart.coop";
    private const string Approver = "approver@smart.coop";
    private const string PartnerFr = "partner.fr@smart.coop";

    public static TheoryData<string> StackBreakers() =>
    [
        string.Concat(Enumerable.Repeat("StandardServiceContributionRate+", 5_000)) + "0m",
        new string('(', 40_000) + "StandardServiceContributionRate" + new string(')', 40_000),
    ];

    [Theory]
    [MemberData(nameof(StackBreakers))]
    public async Task A_partner_checking_an_expression_built_to_break_the_stack_gets_a_problem_and_the_app_keeps_answering(string expression)
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        var page = await partner.GetPageAsync($"/Rules/Edit/{draft.Id}");
        var hostile = JObject.Parse(draft.Text);
        var output = hostile["workflow"]!["Rules"]![0]!["Actions"]!["OnSuccess"]!["Context"]!;
        output["Expression"] = expression;

        var json = await Drafts.CheckJsonAsync(partner, page, draft.Id, hostile.ToString());

        Assert.False(json.GetProperty("passed").GetBoolean());
        var problems = json.GetProperty("problems").EnumerateArray().ToList();
        Assert.Contains(problems, p => p.GetProperty("path").GetString() == "workflow.Rules[0].Actions.OnSuccess.Context.Expression"
            && p.GetProperty("message").GetString()!.Contains("more than", StringComparison.Ordinal));
        // The values-only restriction still speaks for the partner.
        Assert.Contains(problems, p => p.GetProperty("message").GetString()!.Contains("parameter values only", StringComparison.Ordinal));
        await partner.GetPageAsync("/");
    }

    public static TheoryData<string, string> Exhausting() => new()
    {
        { "Enumerable.Range(0, int.MaxValue).Sum() != 1", "exceeded its budget" },
        { "\"x\".PadLeft(500000000).Length > 0", "exceeded its budget" },
        { "1m / (doc.Net - doc.Net) > 0m", "divide by zero" },
    };

    [Theory]
    [MemberData(nameof(Exhausting))]
    public async Task A_saved_draft_that_loops_or_throws_shows_its_failed_test_to_the_approver_and_cannot_be_submitted(string condition, string reason)
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        var hostile = JObject.Parse(draft.Text);
        hostile["workflow"]!["Rules"]![0]!["Expression"] = condition;
        draft = (await Store.SaveDraftAsync(draft.Id, hostile.ToString(), draft.Revision, new AuditActor(Officer))).Current!;

        using var approver = await Browser.SignedInAsync(app, Approver);
        var version = await approver.GetPageAsync($"/Rules/Version/{draft.Id}");
        var problems = version.QuerySelectorAll("#problems li").Select(li => li.TextContent).ToList();
        Assert.Contains(problems, p => p.Contains(reason, StringComparison.Ordinal) && p.Contains("rule '", StringComparison.Ordinal));
        Assert.Null(version.QuerySelector("#check-passed"));

        using var officer = await Browser.SignedInAsync(app, Officer);
        var own = await officer.GetPageAsync($"/Rules/Version/{draft.Id}");
        var refused = await Browser.DocumentAsync(await officer.SubmitAsync(own.Forms["submit-form"]!, ("SubmitForm.Reason", "hostile")));
        Assert.NotNull(refused.QuerySelector("#problems"));
        Assert.Equal(RuleSetVersionStatus.Draft, (await Store.GetAsync(draft.Id))!.Status);
        await approver.GetPageAsync("/");
    }

    [Fact]
    public async Task A_bounded_value_beyond_any_number_is_a_problem_at_its_line_for_everyone_not_a_500()
    {
        var draft = await Drafts.NewAsync(app, "fr/contribution.json", Officer);
        var text = draft.Text.Replace("\"value\": 0.10,", "\"value\": 1e400,", StringComparison.Ordinal);
        Assert.NotEqual(draft.Text, text);
        draft = (await Store.SaveDraftAsync(draft.Id, text, draft.Revision, new AuditActor(PartnerFr))).Current!;

        foreach (var email in new[] { PartnerFr, Officer, Approver })
        {
            using var browser = await Browser.SignedInAsync(app, email);
            var version = await browser.GetPageAsync($"/Rules/Version/{draft.Id}");
            var problem = version.QuerySelectorAll("#problems li").First();
            Assert.True(int.Parse(problem.GetAttribute("data-line")!, System.Globalization.CultureInfo.InvariantCulture) > 0, problem.TextContent);
            Assert.Contains("1e400", problem.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_draft_of_a_million_lines_is_shown_without_a_diff_instead_of_holding_the_page()
    {
        var draft = await Drafts.NewAsync(app, "be/contribution.json", Officer);
        var text = "{" + new string('\n', 900_000) + draft.Text.TrimStart()[1..];
        draft = (await Store.SaveDraftAsync(draft.Id, text, draft.Revision, new AuditActor(Officer))).Current!;

        using var approver = await Browser.SignedInAsync(app, Approver);
        var version = await approver.GetPageAsync($"/Rules/Version/{draft.Id}");

        Assert.NotNull(version.QuerySelector("#diff-too-long"));
    }

    private IRuleSetStore Store => app.Services.GetRequiredService<IRuleSetStore>();
}
