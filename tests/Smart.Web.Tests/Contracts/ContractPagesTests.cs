using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Contracts;

public class ContractPagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IProductionUnitStore Units => app.Services.GetRequiredService<IProductionUnitStore>();
    private IMemberStore Members => app.Services.GetRequiredService<IMemberStore>();
    private IContractStore Contracts => app.Services.GetRequiredService<IContractStore>();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fresh unit with a known budget, so tests sharing the app never spend each other's budget.</summary>
    private async Task<ProductionUnit> NewUnitAsync(string country, decimal budget)
    {
        var owner = (await Members.SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1 })).Rows[0];
        return await Units.AddAsync(new ProductionUnit
        {
            Country = country, Name = $"Contract test {country} {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector,
            OpeningBalance = budget, Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
    }

    /// <summary>The value of a parameter of a rule file in force on <paramref name="day"/>, read from the file itself.</summary>
    private static decimal Parameter(string country, string name, DateOnly day)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", country, "employment.json")));
        return file.RootElement.GetProperty("parameters").GetProperty(name).GetProperty("values").EnumerateArray()
            .Where(v => DateOnly.ParseExact(v.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) <= day)
            .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal)
            .Last().GetProperty("value").GetDecimal();
    }

    private static async Task<HttpResponseMessage> CreateAsync(Browser browser, ProductionUnit unit, string jobCategory, string budget,
        string start = "2026-03-02", string status = "Draft")
    {
        var form = (await browser.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        Assert.Equal(Text(unit.Id), form.QuerySelector<IHtmlInputElement>("[name='Data.ProductionUnitId']")!.Value);
        return await browser.SubmitAsync(form, ("Data.JobCategory", jobCategory), ("Data.StartDate", start), ("Data.EndDate", ""),
            ("Data.Days", "3"), ("Data.Hours", "24"), ("Data.Budget", budget), ("Data.Status", status));
    }

    private static int IdOf(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return int.Parse(redirect.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_Belgian_artist_contract_is_split_as_the_rule_file_says_and_explained()
    {
        var unit = await NewUnitAsync("BE", 5000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var response = await CreateAsync(staff, unit, "artist", "1500");
        var id = IdOf(response);
        var page = await staff.FollowAsync(response);

        var day = new DateOnly(2026, 3, 2);
        var mutualised = Math.Round(1500m * Parameter("be", "MutualisedRate", day), 2, MidpointRounding.AwayFromZero);
        var gross = Math.Round((1500m - mutualised) / (1 + Parameter("be", "EmployerContributionRate", day) * Parameter("be", "ArtistAndManualWorkerBase", day)),
            2, MidpointRounding.AwayFromZero);
        var worker = Math.Round(Parameter("be", "WorkerContributionRate", day) * Parameter("be", "ArtistAndManualWorkerBase", day) * gross, 2, MidpointRounding.AwayFromZero);

        var stored = (await Contracts.GetAsync(id))!;
        Assert.Equal((unit.Country, unit.MemberId, "artist"), (stored.Country, stored.MemberId, stored.JobCategory));
        var split = stored.Evaluation!.Employment;
        Assert.Equal((1500m, mutualised, gross, 1500m - mutualised - gross, worker, gross - worker),
            (split.Budget, split.MutualisedContribution, split.GrossSalary, split.EmployerContributions, split.WorkerContributions, split.NetBeforeTax));

        var english = CultureInfo.GetCultureInfo("en-BE");
        Assert.Equal(Money.Format(mutualised, "EUR", english), page.QuerySelector("#split [data-amount='mutualised'] .money")!.TextContent.Trim());
        Assert.Equal(Money.Format(gross, "EUR", english), page.QuerySelector("#split [data-amount='gross'] .money")!.TextContent.Trim());
        Assert.Equal(Money.Format(gross - worker, "EUR", english), page.QuerySelector("#split [data-amount='net'] .money")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("#rulesets [data-ruleset='be/employment'][data-version='2026.1']"));
        var explained = page.QuerySelector("#trace tr[data-rule='artist-or-manual-worker-contributions-on-108-percent']")!;
        Assert.Contains("socialsecurity.be", explained.TextContent);
        Assert.Contains("staff@smart.coop", page.QuerySelector("#history tbody")!.TextContent);
    }

    [Fact]
    public async Task A_contract_over_the_units_available_budget_is_refused_naming_the_amount_left()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        IdOf(await CreateAsync(staff, unit, "employee", "600", status: "Confirmed"));
        var cancelled = IdOf(await CreateAsync(staff, unit, "employee", "300", status: "Cancelled"));

        var refused = await CreateAsync(staff, unit, "employee", "500");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var message = (await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.Budget']")!.TextContent;
        Assert.Contains(Money.Format(400m, "EUR", CultureInfo.GetCultureInfo("en-BE")), message);
        Assert.Equal(2, (await Contracts.SearchAsync(new ContractQuery(CountryScope.All) { ProductionUnitId = unit.Id })).Total);

        // What is left is still there to take, and a cancelled contract gives its budget back.
        IdOf(await CreateAsync(staff, unit, "employee", "400"));
        var form = (await staff.GetPageAsync($"/Contracts/Edit/{cancelled}")).Forms["contract-form"]!;
        var reopened = await staff.SubmitAsync(form, ("Data.Status", "Draft"));
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Contains(Money.Format(0m, "EUR", CultureInfo.GetCultureInfo("en-BE")),
            (await Browser.DocumentAsync(reopened)).QuerySelector("[data-valmsg-for='Data.Budget']")!.TextContent);
        Assert.Equal(ContractStatus.Cancelled, (await Contracts.GetAsync(cancelled))!.Status);
    }

    [Fact]
    public async Task French_and_Swedish_contracts_are_evaluated_in_their_currency()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var french = await NewUnitAsync("FR", 10_000m);
        var frPage = await staff.FollowAsync(await CreateAsync(staff, french, "employee", "2000"));
        Assert.NotNull(frPage.QuerySelector("#rulesets [data-ruleset='fr/employment']"));
        Assert.Equal("EUR", frPage.QuerySelector("#split [data-amount='gross'] .money")!.GetAttribute("data-currency"));

        var swedish = await NewUnitAsync("SE", 100_000m);
        var response = await CreateAsync(staff, swedish, "employee", "30000");
        var sePage = await staff.FollowAsync(response);
        var stored = (await Contracts.GetAsync(IdOf(response)))!.Evaluation!;
        Assert.Equal("SEK", stored.Currency);
        Assert.Equal(30000m, stored.Employment.MutualisedContribution + stored.Employment.EmployerContributions + stored.Employment.GrossSalary);
        Assert.True(stored.Employment.GrossSalary > 0);
        Assert.NotNull(sePage.QuerySelector("#rulesets [data-ruleset='se/employment']"));
        Assert.Equal(Money.Format(stored.Employment.GrossSalary, "SEK", CultureInfo.GetCultureInfo("en-BE")),
            sePage.QuerySelector("#split [data-amount='gross'] .money[data-currency='SEK']")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_German_contract_is_refused_clearly_because_Germany_has_no_employment_rule_set()
    {
        var unit = await NewUnitAsync("DE", 10_000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var refused = await CreateAsync(staff, unit, "employee", "1000");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var summary = (await Browser.DocumentAsync(refused)).QuerySelector(".validation-summary-errors")!.TextContent;
        Assert.Contains("no employment rule set", summary);
        Assert.Equal(0, (await Contracts.SearchAsync(new ContractQuery(CountryScope.All) { ProductionUnitId = unit.Id })).Total);
    }

    [Fact]
    public async Task A_job_category_the_rules_do_not_know_is_refused_on_its_field()
    {
        var unit = await NewUnitAsync("BE", 10_000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        // A browser would only post the listed categories; a hand-made request may post anything.
        var option = (IHtmlOptionElement)form.Owner!.CreateElement("option");
        option.Value = "astronaut";
        form.QuerySelector<IHtmlSelectElement>("[name='Data.JobCategory']")!.AppendChild(option);
        var refused = await staff.SubmitAsync(form, ("Data.JobCategory", "astronaut"), ("Data.Budget", "100"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEmpty((await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.JobCategory']")!.TextContent.Trim());
    }

    private static async Task<List<Dictionary<string, string?>>> ExportAsync(Browser browser, string url)
    {
        var export = await browser.DownloadCsvAsync(url);
        Assert.Contains($"contracts-{DateTime.Now:yyyy-MM-dd}.csv", export.Disposition);
        Assert.Equal(Web.Pages.Contracts.ExportModel.Columns, export.Header);
        return export.Rows;
    }

    [Fact]
    public async Task The_list_filters_by_country_status_period_and_unit_sorts_and_exports_the_same_rows()
    {
        var unit = await NewUnitAsync("IT", 50_000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var early = IdOf(await CreateAsync(staff, unit, "employee", "1000", start: "2026-02-02", status: "Confirmed"));
        var late = IdOf(await CreateAsync(staff, unit, "employee", "2000", start: "2026-04-06", status: "Confirmed"));
        IdOf(await CreateAsync(staff, unit, "employee", "3000", start: "2026-03-02", status: "Draft"));

        var url = $"/Contracts?Country=IT&Status=Confirmed&ProductionUnitId={unit.Id}&From=2026-01-01&To=2026-12-31";
        var list = await staff.GetPageAsync(url);
        var rows = list.QuerySelectorAll("#contracts tbody tr").ToList();
        Assert.Equal([Text(early), Text(late)], rows.Select(r => r.GetAttribute("data-contract")));
        Assert.All(rows, r => Assert.Equal(("IT", "Confirmed"), (r.GetAttribute("data-country"), r.GetAttribute("data-status"))));

        var period = (await staff.GetPageAsync($"/Contracts?ProductionUnitId={unit.Id}&From=2026-03-01&To=2026-03-31")).QuerySelectorAll("#contracts tbody tr");
        Assert.Equal("2026-03-02", Assert.Single(period).GetAttribute("data-start"));

        var byBudget = await staff.GetPageAsync(list.QuerySelector("th a[data-sort='Budget']")!.GetAttribute("href")!);
        var descending = await staff.GetPageAsync(byBudget.QuerySelector("th a[data-sort='Budget']")!.GetAttribute("href")!);
        Assert.Equal(Text(late), descending.QuerySelector("#contracts tbody tr")!.GetAttribute("data-contract"));

        var exported = await ExportAsync(staff, list.QuerySelector("#export")!.GetAttribute("href")!);
        Assert.Equal([Text(early), Text(late)], exported.Select(r => r["Id"]));
        var stored = (await Contracts.GetAsync(early))!.Evaluation!.Employment;
        Assert.Equal(("confirmed", "1000", stored.GrossSalary), (exported[0]["Status"], exported[0]["Budget"], decimal.Parse(exported[0]["GrossSalary"]!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_404_on_a_Belgian_contract_and_403_when_asking_for_Belgium()
    {
        var unit = await NewUnitAsync("BE", 5000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var belgian = IdOf(await CreateAsync(staff, unit, "employee", "1000"));
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        foreach (var url in new[] { $"/Contracts/Details/{belgian}", $"/Contracts/Edit/{belgian}" })
        {
            var response = await partner.Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, url);
            Assert.DoesNotContain(unit.Name, await response.Content.ReadAsStringAsync());
        }
        foreach (var url in new[] { "/Contracts?Country=BE", "/Contracts/Export?Country=BE" })
            Assert.True((await partner.Client.GetAsync(url)).StatusCode == HttpStatusCode.Forbidden, url);
        Assert.All((await partner.GetPageAsync("/Contracts")).QuerySelectorAll("#contracts tbody tr"), r => Assert.Equal("FR", r.GetAttribute("data-country")));

        // A Belgian unit named in a French partner's form is refused like a missing one.
        var form = (await partner.GetPageAsync("/Contracts/Create")).Forms["contract-form"]!;
        var refused = await partner.SubmitAsync(form, ("Data.ProductionUnitId", Text(unit.Id)), ("Data.JobCategory", "employee"), ("Data.Budget", "100"));
        Assert.Contains("No production unit", (await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.ProductionUnitId']")!.TextContent);

        var french = await NewUnitAsync("FR", 5000m);
        var frenchContract = IdOf(await CreateAsync(partner, french, "employee", "1000"));
        form = (await partner.GetPageAsync($"/Contracts/Edit/{frenchContract}")).Forms["contract-form"]!;
        form.Action = $"/Contracts/Edit/{belgian}";
        Assert.Equal(HttpStatusCode.NotFound, (await partner.SubmitAsync(form, ("Data.Budget", "999"))).StatusCode);
        Assert.Equal(1000m, (await Contracts.GetAsync(belgian))!.Budget);
    }

    [Theory]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Roles_that_do_not_work_on_contracts_get_403_on_every_contract_page(string email)
    {
        using var browser = await Browser.SignedInAsync(app, email);
        Assert.Null((await browser.GetPageAsync("/")).QuerySelector("#main-links a[data-nav='/Contracts/Index']"));
        foreach (var url in new[] { "/Contracts", "/Contracts/Details/1", "/Contracts/Create", "/Contracts/Edit/1", "/Contracts/Export" })
            Assert.True((await browser.Client.GetAsync(url)).StatusCode == HttpStatusCode.Forbidden, url);
    }
}
