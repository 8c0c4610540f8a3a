using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Smart.Web.Tests.Rules;

namespace Smart.Web.Tests.Members;

/// <summary>
/// A member's year page (issue 17, item 4): after the late 2025 Belgian bands, each issued invoice's author rights, lump sum and withholding as
/// applied and as due now, with the knowledge date and versions on both sides, and the year's totals; in French and Dutch; refused to a partner
/// of another country.
/// </summary>
public sealed class MemberYearTests : IDisposable
{
    private readonly SmartWebFactory app = new();

    public void Dispose() => app.Dispose();

    private static decimal Value(IHtmlDocument page, string selector) =>
        decimal.Parse(page.QuerySelector(selector)!.GetAttribute("data-value")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_year_page_shows_each_invoice_as_applied_and_as_due_now_with_the_years_totals()
    {
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Smart.Web.Storage.RuleSets.IRuleSetStore>(app.Services);
        var withLateFigures = (await store.InForceAsync("be/author-rights.json"))!.Text;
        var carried = await SinceIssueTests.PublishAsync(app, SinceIssueTests.CarriedForward, "2025 figures not published yet");
        var (member, unit) = await SinceIssueTests.MemberAsync(app, "Year-page");
        int crossing, second, service;
        using (var staff = await Browser.SignedInAsync(app, "staff@smart.coop"))
        {
            crossing = await SinceIssueTests.IssuedAsync(app, staff, unit, "2025-03-10", 19_800m);
            second = await SinceIssueTests.IssuedAsync(app, staff, unit, "2025-04-10", 1_000m);
            service = await SinceIssueTests.IssuedAsync(app, staff, unit, "2025-06-02", 800m, authorRights: false);
        }
        var late = await SinceIssueTests.PublishAsync(app, _ => withLateFigures, "the 2025 bands published");

        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var details = await browser.GetPageAsync($"/Members/Details/{member.Id}");
        Assert.NotNull(details.QuerySelector($"#year-pages a[href='/Members/{member.Id}/Year/2025']"));
        var page = await browser.GetPageAsync($"/Members/{member.Id}/Year/2025");
        Assert.Equal([crossing, second, service], page.QuerySelectorAll("#year-invoices tbody tr").Select(r => int.Parse(r.GetAttribute("data-invoice")!, CultureInfo.InvariantCulture)));
        var row = $"#year-invoices tr[data-invoice='{crossing}']";
        Assert.Equal((19_800m, 9_820m, 9_900m, 1_497m, 1_485m, -12m), (Value(page, $"{row} [data-field=amount]"), Value(page, $"{row} [data-field=lump-sum-applied]"),
            Value(page, $"{row} [data-field=lump-sum-due]"), Value(page, $"{row} [data-field=withholding-applied]"), Value(page, $"{row} [data-field=withholding-due]"),
            Value(page, $"{row} [data-field=withholding-difference]")));
        // Both sides name their versions: the carried-forward one applied, the late one due now; the knowledge date of the issue.
        Assert.Contains($"(#{carried.Number})", page.QuerySelector($"{row} [data-field=applied-versions]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"(#{late.Number})", page.QuerySelector($"{row} [data-field=due-versions]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("rules as known on", page.QuerySelector($"{row} [data-field=known-on]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("false", page.QuerySelector($"#year-invoices tr[data-invoice='{service}']")!.GetAttribute("data-differs"));
        Assert.Equal((1_609.50m, 1_586.25m, -23.25m, 155m), (Value(page, "#year-totals [data-field=withholding-applied]"), Value(page, "#year-totals [data-field=withholding-due]"),
            Value(page, "#year-totals [data-field=withholding-difference]"), Value(page, "#year-totals [data-field=lump-sum-difference]")));
        Assert.NotNull(page.QuerySelector("#print"));
        var pdf = await browser.Client.GetAsync($"/Members/{member.Id}/Year/2025?handler=Pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 4), StringComparison.Ordinal);

        foreach (var (language, title) in new[] { ("fr-BE", "droits d’auteur"), ("nl-BE", "auteursrechten") })
        {
            using var reader = await Browser.SignedInAsync(app, "staff@smart.coop");
            reader.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
            var translated = await reader.GetPageAsync($"/Members/{member.Id}/Year/2025");
            Assert.Contains(title, translated.QuerySelector("#year-title")!.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("Applied: what each", translated.QuerySelector("#year-intro")!.TextContent, StringComparison.Ordinal);
        }

        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Members/{member.Id}/Year/2025")).StatusCode);
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.Client.GetAsync($"/Members/{member.Id}/Year/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/Members/{member.Id}/Year/1900")).StatusCode);
    }
}
