using System.Globalization;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.BankStatements;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.RuleSets;
using Smart.Web.Tests.Rules;

namespace Smart.Web.Tests;

/// <summary>The home page on the demo documents: what waits for each role, in their countries, and the charts' figures.</summary>
public class HomePageTests(HomePageTests.DemoApp demo) : IClassFixture<HomePageTests.DemoApp>
{
    public sealed class DemoApp : IDisposable
    {
        public SmartWebFactory App { get; } = SmartWebFactory.WithSettings(SmartWebFactory.DemoDocuments);

        public void Dispose() => App.Dispose();
    }

    private SmartWebFactory App => demo.App;
    private IInvoiceStore Invoices => App.Services.GetRequiredService<IInvoiceStore>();

    private static int Count(IHtmlDocument page, string item) =>
        int.Parse(page.QuerySelector($"#waiting [data-waiting='{item}']")!.GetAttribute("data-count")!, CultureInfo.InvariantCulture);

    private async Task<int> StatusCountAsync(CountryScope scope, InvoiceStatus status) =>
        (await Invoices.SearchAsync(new InvoiceQuery(scope) { Status = status, Take = 1 })).Total;

    [Fact]
    public async Task Staff_see_drafts_overdue_invoices_with_their_amount_and_waiting_bank_lines_of_every_country()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var page = await staff.GetPageAsync("/");

        Assert.Equal(await StatusCountAsync(CountryScope.All, InvoiceStatus.Draft), Count(page, "drafts"));
        Assert.True(Count(page, "drafts") >= 6);
        var overdue = Count(page, "overdue");
        Assert.Equal(await StatusCountAsync(CountryScope.All, InvoiceStatus.Overdue), overdue);
        var today = DateOnly.FromDateTime(DateTime.Now);
        var owedInEuro = await Invoices.PastDueAsync(CountryScope.All, today).Where(i => i.IsOverdueOn(today) && i.Evaluation!.Currency == "EUR").Select(i => i.BalanceDue).SumAsync();
        Assert.Equal(owedInEuro, decimal.Parse(page.QuerySelector("#waiting [data-waiting='overdue'] [data-currency='EUR']")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));
        Assert.Equal(1, Count(page, "bank-lines"));
        Assert.Equal(0, Count(page, "rejected-einvoices"));
        Assert.Equal("/Invoices?Status=Overdue", page.QuerySelector("#waiting [data-waiting='overdue']")!.GetAttribute("href"));
        // Rule work is not staff's: no approvals, no accounts.
        Assert.Null(page.QuerySelector("#waiting [data-waiting='approvals']"));
        Assert.Null(page.QuerySelector("#waiting [data-waiting='accounts']"));
    }

    [Fact]
    public async Task A_partner_sees_only_their_own_country_in_the_waiting_items_and_the_charts()
    {
        using var partner = await Browser.SignedInAsync(App, "partner.fr@smart.coop");
        var page = await partner.GetPageAsync("/");

        var french = CountryScope.Only("FR");
        Assert.Equal(await StatusCountAsync(french, InvoiceStatus.Draft), Count(page, "drafts"));
        Assert.Equal(await StatusCountAsync(french, InvoiceStatus.Overdue), Count(page, "overdue"));
        Assert.True(await StatusCountAsync(CountryScope.All, InvoiceStatus.Overdue) > Count(page, "overdue"));
        // The Belgian statement's waiting line is not theirs.
        Assert.Equal(0, Count(page, "bank-lines"));
        Assert.Equal("FR", page.QuerySelector("#charts")!.GetAttribute("data-country"));
        var asked = await partner.GetPageAsync("/?country=BE");
        Assert.Equal("FR", asked.QuerySelector("#charts")!.GetAttribute("data-country"));
    }

    [Fact]
    public async Task The_charts_carry_each_months_turnover_and_contributions_of_the_issued_invoices()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var page = await staff.GetPageAsync("/?country=BE");

        var data = JsonDocument.Parse(page.QuerySelector("#chart-data")!.GetAttribute("data-figures")!).RootElement;
        var months = data.GetProperty("months").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Equal(12, months.Count);
        var issued = (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Take = 1000 })).Rows.Where(i => i.Status != InvoiceStatus.Draft).ToList();
        for (var m = 0; m < months.Count; m++)
        {
            var ofMonth = issued.Where(i => i.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture) == months[m]).ToList();
            Assert.Equal(ofMonth.Sum(i => i.Evaluation!.Totals.Net), data.GetProperty("turnover")[m].GetDecimal());
            Assert.Equal(ofMonth.Sum(i => i.Evaluation!.Contribution.Amount), data.GetProperty("contributions")[m].GetDecimal());
        }
        Assert.Contains(data.GetProperty("turnover").EnumerateArray(), t => t.GetDecimal() > 0m);
        var owed = await Invoices.OpenAsync(CountryScope.Only("BE")).Select(i => i.BalanceDue).SumAsync();
        Assert.Equal(owed, data.GetProperty("ageing").EnumerateArray().Sum(a => a.GetDecimal()));
        // The same figures in a table, for who does not see the chart.
        Assert.Equal(12, page.QuerySelectorAll("#months tbody tr").Length);
        Assert.Equal(200, (int)(await staff.Client.GetAsync("/lib/chart.js/chart.umd.min.js")).StatusCode);
    }

    [Fact]
    public async Task An_approver_sees_the_submitted_publications_on_the_home_page_and_in_the_top_bar()
    {
        var store = App.Services.GetRequiredService<IRuleSetStore>();
        var draft = await Drafts.NewAsync(App, "fr/vat.json", "compliance@smart.coop");
        await store.SubmitAsync(draft.Id, "home page test", new AuditActor("compliance@smart.coop"));
        var submitted = (await store.PendingAsync(CountryScope.All)).Count(v => v.Status == RuleSetVersionStatus.Submitted);

        using var approver = await Browser.SignedInAsync(App, "approver@smart.coop");
        var page = await approver.GetPageAsync("/");
        Assert.Equal(submitted, Count(page, "approvals"));
        Assert.Equal(submitted.ToString(CultureInfo.InvariantCulture), page.QuerySelector("#approvals-badge")!.GetAttribute("data-count"));
        Assert.Null(page.QuerySelector("#waiting [data-waiting='drafts']"));

        using var compliance = await Browser.SignedInAsync(App, "compliance@smart.coop");
        var officer = await compliance.GetPageAsync("/");
        Assert.Equal((await store.PendingAsync(CountryScope.All)).Count(v => v.IsEditable), Count(officer, "rule-drafts"));
        Assert.NotNull(officer.QuerySelector("#waiting [data-waiting='simulations']"));
        Assert.Null(officer.QuerySelector("#approvals-badge"));

        using var admin = await Browser.SignedInAsync(App, "admin@smart.coop");
        Assert.Equal((await App.Services.GetRequiredService<IAccountStore>().ListAsync()).Count, Count(await admin.GetPageAsync("/"), "accounts"));
    }
}
