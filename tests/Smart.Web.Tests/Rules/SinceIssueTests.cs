using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Hosting;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// What changed since issue (issue 17, item 2): Belgian author-rights invoices of 2025 issued while the 2025 bands were still carried forward from
/// 2024 (19,480 / 38,970, ceiling 73,070), then the late figures published (20,100 / 40,190, ceiling 75,360). The since-issue comparison lists
/// exactly the issued invoices whose withholding and lump sum differ, by member and year, with both traces; an invoice whose result is the same
/// is not listed; a French partner does not see it. The store is LiteDB, or PostgreSQL on the suite's second pass.
/// </summary>
public sealed class SinceIssueTests : IDisposable
{
    private const string Key = "be/author-rights.json";
    private readonly SmartWebFactory app = new();

    public void Dispose() => app.Dispose();

    /// <summary>The rule set with its income-2025 figures carried forward from 2024, as it stood before the late publication (its 2025 tests left out).</summary>
    internal static string CarriedForward(string text)
    {
        var file = JObject.Parse(text);
        foreach (var (parameter, value) in new[] { ("Ceiling", 73070m), ("FirstBandUpper", 19480m), ("SecondBandUpper", 38970m) })
        {
            var entry = ((JArray)file["parameters"]![parameter]!["values"]!).Single(v => (string?)v["from"] == "2025-01-01");
            entry["value"] = value;
            entry["note"] = "Income 2025 not published yet: the income-2024 figure carried forward.";
        }
        foreach (var test in ((JArray)file["tests"]!).Where(t => ((string)t["input"]!["date"]!).StartsWith("2025", StringComparison.Ordinal)).ToList()) test.Remove();
        return file.ToString();
    }

    internal static async Task<RuleSetVersion> PublishAsync(WebApplicationFactory<Program> app, Func<string, string> edit, string reason)
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(Key))!;
        var draft = await store.AddDraftAsync(Key, "BE", "author-rights", edit(inForce.Text), inForce.Id, new AuditActor("compliance@smart.coop"));
        await store.SubmitAsync(draft.Id, reason, new AuditActor("compliance@smart.coop"));
        var published = (await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"))).Current!;
        app.Services.GetRequiredService<RuleBookInForce>().Reload();
        // Publications a millisecond apart must not share an instant with the invoices evaluated around them.
        await Task.Delay(20);
        return published;
    }

    /// <summary>A new Belgian member (no income yet) with a production unit of their own.</summary>
    internal static async Task<(Member Member, ProductionUnit Unit)> MemberAsync(WebApplicationFactory<Program> app, string lastName)
    {
        var member = await app.Services.GetRequiredService<IMemberStore>().AddAsync(new Member
        {
            Country = "BE", FirstName = "Late", LastName = lastName, Email = $"{Guid.NewGuid():N}@example.be", Sector = MemberSectors.Music, Office = "Brussels",
            BirthDate = new DateOnly(1980, 5, 1), MemberSince = new DateOnly(2020, 1, 1),
        }, new AuditActor("test"));
        var unit = await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "BE", Name = $"Since issue {lastName} {Guid.NewGuid():N}", MemberId = member.Id, Sector = MemberSectors.Music, OpeningBalance = 100_000m,
            Created = new DateOnly(2024, 1, 5),
        }, new AuditActor("test"));
        return (member, unit);
    }

    /// <summary>An invoice through the form and issued on its page, as staff: one author-rights line, or a service line.</summary>
    internal static async Task<int> IssuedAsync(WebApplicationFactory<Program> app, Browser staff, ProductionUnit unit, string date, decimal amount, bool authorRights = true)
    {
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var fields = new List<(string, string)>
        {
            ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", date), ("Data.DueDate", ""),
            ("Data.Lines[0].Description", authorRights ? "Score, licence" : "Rehearsal"), ("Data.Lines[0].Category", authorRights ? "author-rights" : "service"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", amount.ToString(CultureInfo.InvariantCulture)),
        };
        if (authorRights) fields.Add(("Data.Lines[0].WorkKind", "musical"));
        var id = SimulationTests.IdOf(await staff.SubmitAsync(form, [.. fields]));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
        return id;
    }

    private static decimal Value(IHtmlDocument page, string selector) =>
        decimal.Parse(page.QuerySelector(selector)!.GetAttribute("data-value")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Publishing_the_late_2025_bands_lists_exactly_the_issued_invoices_and_members_whose_withholding_changes()
    {
        // The shipped file has the late figures; before them, the store had them carried forward.
        var withLateFigures = (await app.Services.GetRequiredService<IRuleSetStore>().InForceAsync(Key))!.Text;
        await PublishAsync(app, CarriedForward, "2025 figures not published yet: 2024 carried forward");
        var (first, firstUnit) = await MemberAsync(app, "Near-the-band");
        var (second, secondUnit) = await MemberAsync(app, "Below-the-band");
        int crossing, inSecondBand, unchanged, service;
        using (var staff = await Browser.SignedInAsync(app, "staff@smart.coop"))
        {
            // 19,800 from nothing: above the carried-forward first band (19,480), within the late one (20,100).
            crossing = await IssuedAsync(app, staff, firstUnit, "2025-03-10", 19_800m);
            inSecondBand = await IssuedAsync(app, staff, firstUnit, "2025-04-10", 1_000m);
            unchanged = await IssuedAsync(app, staff, secondUnit, "2025-05-12", 1_000m);
            service = await IssuedAsync(app, staff, secondUnit, "2025-06-02", 800m, authorRights: false);
        }
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        Assert.Equal(1_497.00m, (await invoices.GetAsync(crossing))!.Evaluation!.AuthorRights!.Withholding);

        var late = await PublishAsync(app, _ => withLateFigures, "the 2025 bands published");

        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var version = await officer.GetPageAsync($"/Rules/Version/{late.Id}");
        Assert.Equal($"/Rules/Simulations/SinceIssue/{late.Id}", version.QuerySelector("#since-issue")!.GetAttribute("href"));
        var start = await officer.GetPageAsync($"/Rules/Simulations/SinceIssue/{late.Id}");
        // The period starts on the first day the version changes: the income-2025 figures.
        Assert.Equal("2025-01-01", start.QuerySelector("input[name='Data.From']")!.GetAttribute("value"));
        var id = SimulationTests.IdOf(await officer.SubmitAsync(start.Forms["since-issue-form"]!, ("Data.From", "2025-01-01"), ("Data.To", "2025-12-31")));
        var progress = await SimulationTests.FinishedAsync(officer, id);
        Assert.Equal("Done", progress.GetProperty("status").GetString());
        Assert.Equal(4, progress.GetProperty("done").GetInt32());
        Assert.Equal(2, progress.GetProperty("affected").GetInt32());
        Assert.Equal(0, progress.GetProperty("failed").GetInt32());

        var simulation = (await app.Services.GetRequiredService<ISimulationStore>().GetAsync(id))!;
        Assert.Equal(SimulationMode.SinceIssue, simulation.Mode);
        var affected = (await app.Services.GetRequiredService<ISimulationStore>().AffectedAsync(id, 0, 100)).Rows;
        Assert.Equal([crossing, inSecondBand], affected.Select(d => d.DocumentId).Order().ToArray());
        Assert.All(affected, d => Assert.Equal((first.Id, first.Name, false), (d.MemberId!.Value, d.Member, d.WouldChange)));
        // 19,800: lump sum 19,480 × 50 % + 320 × 25 % = 9,820 applied, 19,800 × 50 % = 9,900 due; 15 % of the rest.
        var a = affected.Single(d => d.DocumentId == crossing);
        Assert.Equal((9_820.00m, 1_497.00m, 9_900.00m, 1_485.00m), (a.Before.LumpSum, a.Before.Withholding, a.After.LumpSum, a.After.Withholding));
        // 1,000 more on 19,800: all in the second band then (250), 300 in the first and 700 in the second now (325).
        var b = affected.Single(d => d.DocumentId == inSecondBand);
        Assert.Equal((250.00m, 112.50m, 325.00m, 101.25m), (b.Before.LumpSum, b.Before.Withholding, b.After.LumpSum, b.After.Withholding));
        Assert.All(affected, d => Assert.Equal((d.Before.Vat, d.Before.Contribution), (d.After.Vat, d.After.Contribution)));

        // The page: the member's year with the totals; the other member, whose invoices come out the same, is not there.
        var page = await officer.GetPageAsync($"/Rules/Simulations/{id}");
        var row = $"#members tr[data-member='{first.Id}'][data-year='2025']";
        Assert.Equal("2", page.QuerySelector($"{row} [data-field=documents]")!.TextContent);
        Assert.Equal(1_609.50m, Value(page, $"{row} [data-field=withholding-applied]"));
        Assert.Equal(1_586.25m, Value(page, $"{row} [data-field=withholding-due]"));
        Assert.Equal(-23.25m, Value(page, $"{row} [data-field=withholding-difference]"));
        Assert.Equal(155.00m, Value(page, $"{row} [data-field=lump-sum-difference]"));
        Assert.Null(page.QuerySelector($"#members tr[data-member='{second.Id}']"));
        Assert.Null(page.QuerySelector($"#affected tr[data-document='{unchanged}']"));
        Assert.Null(page.QuerySelector($"#affected tr[data-document='{service}']"));
        Assert.Equal(-12.00m, Value(page, $"#affected tr[data-document='{crossing}'] [data-field=withholding-difference]"));

        // The drill-down: the stored trace with the carried-forward band beside the trace now with the late one.
        var drill = await officer.GetPageAsync($"/Rules/Simulations/{id}/Document?kind=invoice&id={crossing}");
        Assert.Equal(19_480m, Value(drill, "#trace-before [data-parameter=FirstBandUpper]"));
        Assert.Equal(20_100m, Value(drill, "#trace-after [data-parameter=FirstBandUpper]"));
        Assert.Equal(1_497.00m, Value(drill, "#trace-before [data-field=withholding]"));
        Assert.Equal(1_485.00m, Value(drill, "#trace-after [data-field=withholding]"));

        // An approver sees it; a French partner sees neither the run, its documents nor the version's page for it.
        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        Assert.Equal(HttpStatusCode.OK, (await approver.Client.GetAsync($"/Rules/Simulations/{id}")).StatusCode);
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Simulations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Simulations/{id}/Document?kind=invoice&id={crossing}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Simulations/SinceIssue/{late.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_draft_version_cannot_be_compared_with_issued_documents_and_a_period_is_checked()
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(Key))!;
        var draft = await store.AddDraftAsync(Key, "BE", "author-rights", inForce.Text.Replace("2026.3", "2026.9", StringComparison.Ordinal), inForce.Id,
            new AuditActor("compliance@smart.coop"));
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var page = await officer.GetPageAsync($"/Rules/Simulations/SinceIssue/{draft.Id}");
        Assert.NotNull(page.QuerySelector("#not-published"));
        var refused = await officer.SubmitAsync(page.Forms["since-issue-form"]!, ("Data.From", "2025-01-01"), ("Data.To", "2025-12-31"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Only a published version", (await Browser.DocumentAsync(refused)).QuerySelector("#since-issue-form div[role=alert]")!.TextContent, StringComparison.Ordinal);
        var form = (await officer.GetPageAsync($"/Rules/Simulations/SinceIssue/{inForce.Id}")).Forms["since-issue-form"]!;
        foreach (var (from, to, message) in new[] { ("2025-12-31", "2025-01-01", "ends before it starts"), ("2025-01-01", "2027-01-01", "at most two years") })
        {
            var response = await officer.SubmitAsync(form, ("Data.From", from), ("Data.To", to));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(message, (await Browser.DocumentAsync(response)).QuerySelector("[data-valmsg-for='Data.To']")!.TextContent, StringComparison.Ordinal);
        }
        Assert.Empty(await app.Services.GetRequiredService<ISimulationStore>().OfVersionAsync(draft.Id));
        Assert.DoesNotContain(await app.Services.GetRequiredService<ISimulationStore>().OfVersionAsync(inForce.Id), s => s.Mode == SimulationMode.SinceIssue);
    }
}
