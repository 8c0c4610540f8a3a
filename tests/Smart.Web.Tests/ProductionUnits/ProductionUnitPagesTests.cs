using System.Globalization;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.ProductionUnits;

public class ProductionUnitPagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const int PageSize = Web.Pages.ProductionUnits.IndexModel.PageSize;

    private IProductionUnitStore Units => app.Services.GetRequiredService<IProductionUnitStore>();
    private IMemberStore Members => app.Services.GetRequiredService<IMemberStore>();

    private async Task<ProductionUnit> FirstUnitAsync(string country, Func<ProductionUnit, bool>? where = null)
    {
        await foreach (var unit in Units.ExportAsync(new ProductionUnitQuery(CountryScope.Only(country))))
            if (where is null || where(unit)) return unit;
        throw new InvalidOperationException($"No demo production unit of {country} fits.");
    }

    private async Task<Member> FirstMemberAsync(string country) =>
        (await Members.SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1 })).Rows[0];

    private static IReadOnlyList<IHtmlTableRowElement> Rows(IHtmlDocument page) =>
        page.QuerySelectorAll("#units tbody tr").Cast<IHtmlTableRowElement>().ToList();

    [Fact]
    public async Task Staff_see_units_with_their_owners_names_and_budgets()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync("/ProductionUnits");
        Assert.NotNull(page.QuerySelector("#main-links a[data-nav='/ProductionUnits/Index']"));
        var rows = Rows(page);
        Assert.Equal(PageSize, rows.Count);
        var owners = await Members.GetManyAsync(rows.Select(r => int.Parse(r.QuerySelector("[data-member]")!.GetAttribute("data-member")!)).ToList());
        Assert.All(rows, row => Assert.Equal(owners[int.Parse(row.QuerySelector("[data-member]")!.GetAttribute("data-member")!)].Name, row.Cells[1].TextContent.Trim()));
        Assert.All(rows, row => Assert.NotNull(row.QuerySelector(".money[data-currency]")));
    }

    [Fact]
    public async Task Searching_filtering_sorting_and_paging_work_together()
    {
        var unit = await FirstUnitAsync("BE");
        var word = unit.Name.Split(' ')[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var found = Rows(await staff.GetPageAsync($"/ProductionUnits?Search={Uri.EscapeDataString(word)}"));
        Assert.NotEmpty(found);
        Assert.All(found, row => Assert.Contains(word, row.Cells[0].TextContent, StringComparison.OrdinalIgnoreCase));

        var closed = Rows(await staff.GetPageAsync("/ProductionUnits?Country=BE&Status=Closed"));
        Assert.NotEmpty(closed);
        Assert.All(closed, row => Assert.Equal(("BE", "Closed"), (row.GetAttribute("data-country"), row.Cells[4].TextContent.Trim())));

        var list = await staff.GetPageAsync("/ProductionUnits?Country=BE");
        var byBudget = await staff.GetPageAsync(list.QuerySelector("th a[data-sort='AvailableBudget']")!.GetAttribute("href")!);
        var descending = await staff.GetPageAsync(byBudget.QuerySelector("th a[data-sort='AvailableBudget']")!.GetAttribute("href")!);
        var top = Rows(descending)[0].GetAttribute("data-unit");
        var richest = (await Units.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Sort = ProductionUnitSort.AvailableBudget, Descending = true, Take = 1 })).Rows[0];
        Assert.Equal(richest.Id.ToString(CultureInfo.InvariantCulture), top);

        var second = await staff.GetPageAsync(descending.QuerySelector("#pager a[data-page='2']")!.GetAttribute("href")!);
        Assert.Equal("2", second.QuerySelector("#pager .active")!.TextContent.Trim());
        Assert.Equal(PageSize, Rows(second).Count);
        Assert.DoesNotContain(top, Rows(second).Select(r => r.GetAttribute("data-unit")));
    }

    [Fact]
    public async Task A_unit_detail_shows_its_owner_and_the_seed_in_the_history()
    {
        var unit = await FirstUnitAsync("FR");
        var owner = (await Members.GetAsync(unit.MemberId))!;
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/ProductionUnits/Details/{unit.Id}");
        Assert.Equal(unit.Name, page.QuerySelector("#unit-name")!.TextContent.Trim());
        Assert.Equal(owner.Name, page.QuerySelector("[data-field='member']")!.TextContent.Trim());
        Assert.Contains("system:demo-seed", page.QuerySelector("#history tbody")!.TextContent);
    }

    [Fact]
    public async Task Creating_a_unit_for_a_member_of_the_same_country_stores_it_and_it_shows_on_the_member()
    {
        var owner = await FirstMemberAsync("BE");
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync($"/ProductionUnits/Create?memberId={owner.Id}")).Forms["unit-form"]!;
        Assert.Equal("BE", form.QuerySelector<IHtmlSelectElement>("[name='Data.Country']")!.Value);
        // The budget is the ledger's: the form has no field for it.
        Assert.Null(form.QuerySelector("[name='Data.AvailableBudget']"));
        var response = await staff.SubmitAsync(form, ("Data.Name", "Atelier Zébulon"), ("Data.Status", "Active"));
        var details = await staff.FollowAsync(response);

        Assert.Equal("Atelier Zébulon", details.QuerySelector("#unit-name")!.TextContent.Trim());
        var stored = (await Units.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Search = "Zébulon" })).Rows.Single();
        Assert.Equal((owner.Id, 0m), (stored.MemberId, stored.AvailableBudget));
        var member = await staff.GetPageAsync($"/Members/Details/{owner.Id}");
        Assert.NotNull(member.QuerySelector($"#units tr[data-unit='{stored.Id}']"));
    }

    [Fact]
    public async Task An_owner_of_another_country_is_refused_on_its_field_and_nothing_is_stored()
    {
        var french = await FirstMemberAsync("FR");
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/ProductionUnits/Create")).Forms["unit-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.Name", "Studio Mauvais Pays"), ("Data.Country", "BE"), ("Data.MemberId", french.Id.ToString(CultureInfo.InvariantCulture)),
            ("Data.Sector", MemberSectors.Music));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("No member of this country", page.QuerySelector("[data-valmsg-for='Data.MemberId']")!.TextContent);
        Assert.Equal(0, (await Units.SearchAsync(new ProductionUnitQuery(CountryScope.All) { Search = "Mauvais" })).Total);
    }

    [Fact]
    public async Task A_partner_administrator_cannot_give_a_unit_to_a_member_of_a_country_they_do_not_see()
    {
        var unit = await FirstUnitAsync("FR");
        var belgian = await FirstMemberAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var form = (await partner.GetPageAsync($"/ProductionUnits/Edit/{unit.Id}")).Forms["unit-form"]!;
        var page = await Browser.DocumentAsync(await partner.SubmitAsync(form, ("Data.MemberId", belgian.Id.ToString(CultureInfo.InvariantCulture))));
        Assert.Contains("No member of this country", page.QuerySelector("[data-valmsg-for='Data.MemberId']")!.TextContent);
        Assert.DoesNotContain(belgian.LastName, page.Body!.TextContent);
        Assert.Equal(unit.MemberId, (await Units.GetAsync(unit.Id))!.MemberId);
    }

    [Fact]
    public async Task Closing_a_unit_saves_it_with_the_editor_in_the_history()
    {
        var unit = await FirstUnitAsync("FR", u => u.Status == ProductionUnitStatus.Active);
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var form = (await partner.GetPageAsync($"/ProductionUnits/Edit/{unit.Id}")).Forms["unit-form"]!;
        var details = await partner.FollowAsync(await partner.SubmitAsync(form, ("Data.Status", "Closed")));
        Assert.Equal(ProductionUnitStatus.Closed, (await Units.GetAsync(unit.Id))!.Status);
        Assert.Contains("partner.fr@smart.coop", details.QuerySelector("#history tbody tr")!.TextContent);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_the_newer_save_is_kept()
    {
        var unit = await FirstUnitAsync("BE", u => u.Id % 2 == 1);
        using var first = await Browser.SignedInAsync(app, "staff@smart.coop");
        using var second = await Browser.SignedInAsync(app, "admin@smart.coop");
        var firstForm = (await first.GetPageAsync($"/ProductionUnits/Edit/{unit.Id}")).Forms["unit-form"]!;
        var secondForm = (await second.GetPageAsync($"/ProductionUnits/Edit/{unit.Id}")).Forms["unit-form"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync(firstForm, ("Data.Name", "Renamed by the first"))).StatusCode);
        var refused = await second.SubmitAsync(secondForm, ("Data.Name", "Renamed by the second"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Someone else saved this production unit", (await Browser.DocumentAsync(refused)).QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal("Renamed by the first", (await Units.GetAsync(unit.Id))!.Name);
    }


    [Fact]
    public async Task The_csv_export_follows_the_filters_with_invariant_numbers()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var link = (await staff.GetPageAsync("/ProductionUnits?Country=IT&Status=Active")).QuerySelector("#export")!.GetAttribute("href")!;
        var (disposition, header, rows) = await staff.DownloadCsvAsync(link);
        Assert.Contains($"production-units-{DateTime.Now:yyyy-MM-dd}.csv", disposition);
        Assert.Equal(Web.Pages.ProductionUnits.ExportModel.Columns, header);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(("IT", "active"), (row["Country"], row["Status"])));
        var expected = (await Units.GetAsync(int.Parse(rows[0]["Id"]!, CultureInfo.InvariantCulture)))!;
        Assert.Equal(expected.AvailableBudget, decimal.Parse(rows[0]["AvailableBudget"]!, CultureInfo.InvariantCulture));
        Assert.Equal(expected.Name, rows[0]["Name"]);
        Assert.Equal((await Units.SearchAsync(new ProductionUnitQuery(CountryScope.All) { Country = "IT", Status = ProductionUnitStatus.Active })).Total, rows.Count);
    }

    [Fact]
    public async Task A_partner_administrator_of_France_lists_and_exports_only_French_units()
    {
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var rows = Rows(await partner.GetPageAsync("/ProductionUnits"));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("FR", row.GetAttribute("data-country")));
        var (_, _, exported) = await partner.DownloadCsvAsync("/ProductionUnits/Export");
        Assert.NotEmpty(exported);
        Assert.All(exported, row => Assert.Equal("FR", row["Country"]));
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_404_on_a_Belgian_unit_and_403_when_asking_for_Belgium()
    {
        var belgian = await FirstUnitAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        foreach (var url in new[] { $"/ProductionUnits/Details/{belgian.Id}", $"/ProductionUnits/Edit/{belgian.Id}" })
        {
            var response = await partner.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, url);
            Assert.DoesNotContain(belgian.Name, await response.Content.ReadAsStringAsync());
        }
        foreach (var url in new[] { "/ProductionUnits?Country=BE", "/ProductionUnits/Export?Country=BE" })
            Assert.True((await partner.Client.GetAsync(url)).StatusCode == HttpStatusCode.Forbidden, url);

        var french = await FirstUnitAsync("FR");
        var form = (await partner.GetPageAsync($"/ProductionUnits/Edit/{french.Id}")).Forms["unit-form"]!;
        form.Action = $"/ProductionUnits/Edit/{belgian.Id}";
        Assert.Equal(HttpStatusCode.NotFound, (await partner.SubmitAsync(form, ("Data.Name", "Pris par la France"))).StatusCode);
        Assert.Equal(belgian.Name, (await Units.GetAsync(belgian.Id))!.Name);
    }

    [Theory]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Roles_that_do_not_work_on_units_get_403_on_every_unit_page(string email)
    {
        var unit = await FirstUnitAsync("BE");
        using var browser = await Browser.SignedInAsync(app, email);
        Assert.Null((await browser.GetPageAsync("/")).QuerySelector("#main-links a[data-nav='/ProductionUnits/Index']"));
        foreach (var url in new[] { "/ProductionUnits", $"/ProductionUnits/Details/{unit.Id}", "/ProductionUnits/Create", $"/ProductionUnits/Edit/{unit.Id}", "/ProductionUnits/Export" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, url);
            Assert.DoesNotContain(unit.Name, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = Browser.Open(app);
        foreach (var url in new[] { "/ProductionUnits", "/ProductionUnits/Details/1", "/ProductionUnits/Create", "/ProductionUnits/Edit/1", "/ProductionUnits/Export" })
        {
            var response = await anonymous.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/SignIn", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task In_Dutch_the_list_reads_Dutch()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-BE");
        var page = await staff.GetPageAsync("/ProductionUnits?Sector=music&Status=Closed");
        Assert.Equal("Productie-eenheden", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.All(Rows(page), row => Assert.Equal(("Muziek", "Afgesloten"), (row.Cells[3].TextContent.Trim(), row.Cells[4].TextContent.Trim())));
    }
}
