using AngleSharp.Dom;
using System.Net;
using AngleSharp.Html.Dom;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Members;

public class MemberPagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IMemberStore Store => app.Services.GetRequiredService<IMemberStore>();

    private async Task<Member> FirstMemberAsync(string country, Func<Member, bool>? where = null)
    {
        await foreach (var member in Store.ExportAsync(new MemberQuery(CountryScope.Only(country))))
            if (where is null || where(member)) return member;
        throw new InvalidOperationException($"No demo member of {country} fits.");
    }

    private static IReadOnlyList<IHtmlTableRowElement> Rows(IHtmlDocument page) =>
        page.QuerySelectorAll("#members tbody tr").Cast<IHtmlTableRowElement>().ToList();

    private static string Cell(IHtmlTableRowElement row, int index) => row.Cells[index].TextContent.Trim();

    [Fact]
    public async Task Staff_see_the_seeded_members_with_a_total_and_a_navigation_link()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync("/Members");
        Assert.NotNull(page.QuerySelector("#main-links a[data-nav='/Members/Index']"));
        Assert.Equal(IndexPageSize, Rows(page).Count);
        Assert.Contains("members", page.QuerySelector("#total")!.TextContent);
        Assert.NotNull(page.QuerySelector("#members .money[data-currency]"));
    }

    private const int IndexPageSize = Web.Pages.Members.IndexModel.PageSize;

    [Fact]
    public async Task Searching_a_seeded_last_name_lists_only_members_with_that_name()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var rows = Rows(await staff.GetPageAsync("/Members?Search=Peeters"));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains("Peeters", Cell(row, 0)));
    }

    [Fact]
    public async Task Filters_by_country_and_sector_keep_only_matching_rows()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var rows = Rows(await staff.GetPageAsync("/Members?Country=BE&Sector=music"));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("BE", row.GetAttribute("data-country")));
        Assert.All(rows, row => Assert.Equal("Music", Cell(row, 2)));
    }

    [Fact]
    public async Task Clicking_the_country_header_sorts_by_country_and_clicking_again_reverses_it()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var list = await staff.GetPageAsync("/Members");
        var ascending = await staff.GetPageAsync(list.QuerySelector<IHtmlAnchorElement>("th a[data-sort='Country']")!.GetAttribute("href")!);
        Assert.Equal("AT", Rows(ascending)[0].GetAttribute("data-country"));
        var descending = await staff.GetPageAsync(ascending.QuerySelector<IHtmlAnchorElement>("th a[data-sort='Country']")!.GetAttribute("href")!);
        Assert.Equal("SE", Rows(descending)[0].GetAttribute("data-country"));
    }

    [Fact]
    public async Task Page_two_shows_the_next_members_with_the_same_filters()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var first = await staff.GetPageAsync("/Members?Country=BE");
        var link = first.QuerySelector<IHtmlAnchorElement>("#pager a[data-page='2']")!.GetAttribute("href")!;
        Assert.Contains("Country=BE", link);
        var second = await staff.GetPageAsync(link);
        Assert.Equal("2", second.QuerySelector("#pager .active")!.TextContent.Trim());
        Assert.Equal(IndexPageSize, Rows(second).Count);
        Assert.Empty(Rows(second).Select(r => r.GetAttribute("data-member")).Intersect(Rows(first).Select(r => r.GetAttribute("data-member"))));
    }

    [Fact]
    public async Task A_member_detail_shows_the_member_their_production_units_and_the_seed_in_the_history()
    {
        var units = app.Services.GetRequiredService<IProductionUnitStore>();
        var owned = (await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/Members/Details/{owned.MemberId}");
        var member = (await Store.GetAsync(owned.MemberId))!;
        Assert.Equal(member.Name, page.QuerySelector("#member-name")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector($"#units tr[data-unit='{owned.Id}']"));
        Assert.Contains("system:demo-seed", page.QuerySelector("#history tbody")!.TextContent);
    }

    [Fact]
    public async Task A_member_near_the_author_rights_ceiling_gets_a_warning_with_the_ceiling_and_one_far_below_none()
    {
        var near = await FirstMemberAsync("BE", m => m.AuthorRightsYearToDate >= 66_000m);
        var far = await FirstMemberAsync("BE", m => m.AuthorRightsYearToDate < 10_000m);
        var italian = await FirstMemberAsync("IT");
        await Store.UpdateAsync(italian with { AuthorRightsYearToDate = 500_000m }, italian.Version, AuditActor.System("test"));
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");

        var warning = (await staff.GetPageAsync($"/Members/Details/{near.Id}")).QuerySelector("#ceiling-warning");
        Assert.NotNull(warning);
        Assert.Equal("EUR", warning.QuerySelector(".money")!.GetAttribute("data-currency"));
        Assert.Null((await staff.GetPageAsync($"/Members/Details/{far.Id}")).QuerySelector("#ceiling-warning"));
        // Italy's author-rights rules have no ceiling: nothing to warn about however high the income.
        Assert.Null((await staff.GetPageAsync($"/Members/Details/{italian.Id}")).QuerySelector("#ceiling-warning"));
    }

    private static (string, string)[] NewMember(string nationalNumber, string email, string birthDate = "1985-07-30") =>
    [
        ("Data.FirstName", "Nora"), ("Data.LastName", "Nouvelle"), ("Data.Email", email), ("Data.Country", "BE"),
        ("Data.NationalNumber", nationalNumber), ("Data.BirthDate", birthDate), ("Data.MemberSince", "2024-03-01"),
        ("Data.Sector", MemberSectors.Music), ("Data.Office", "Brussels"), ("Data.AuthorRightsYearToDate", "1250,50"),
    ];

    [Fact]
    public async Task A_member_s_language_of_letters_is_chosen_from_the_list_and_anything_else_is_refused_on_its_field()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync("/Members/Create");
        var form = page.Forms["member-form"]!;
        // A value the list does not offer, as a hand-made post would send it.
        var klingon = (AngleSharp.Html.Dom.IHtmlOptionElement)page.CreateElement("option");
        klingon.Value = "tlh";
        form.QuerySelector("select[name='Data.Language']")!.AppendChild(klingon);
        var refused = await staff.SubmitAsync(form, [.. NewMember("85073099437", "nora.klingon@example.org"), ("Data.Language", "tlh")]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Choose a language", (await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.Language']")!.TextContent);
        Assert.Null(await Store.FindByNationalNumberAsync("BE", "85.07.30-994.37"));

        form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        await staff.SubmitAsync(form, [.. NewMember("85073099437", "nora.nl@example.org"), ("Data.Language", "nl")]);
        var stored = (await Store.FindByNationalNumberAsync("BE", "85.07.30-994.37"))!;
        Assert.Equal("nl", stored.Language);
        // The edit form shows it chosen, and the country's language (none) can be chosen again.
        var edit = (await staff.GetPageAsync($"/Members/Edit/{stored.Id}")).Forms["member-form"]!;
        Assert.Equal("nl", ((AngleSharp.Html.Dom.IHtmlSelectElement)edit["Data.Language"]!).Value);
        await staff.SubmitAsync(edit, ("Data.Language", ""));
        Assert.Null((await Store.GetAsync(stored.Id))!.Language);
    }

    [Fact]
    public async Task Creating_a_member_with_a_valid_national_number_stores_it_normalised_and_audited()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var response = await staff.SubmitAsync(form, NewMember("85073099734", "nora.valid@example.org"));
        var details = await staff.FollowAsync(response);

        var stored = await Store.FindByNationalNumberAsync("BE", "85.07.30-997.34");
        Assert.NotNull(stored);
        Assert.Equal(1250.50m, stored.AuthorRightsYearToDate);
        Assert.Equal("Nora Nouvelle", details.QuerySelector("#member-name")!.TextContent.Trim());
        Assert.Contains("staff@smart.coop", details.QuerySelector("#history tbody")!.TextContent);
    }

    [Fact]
    public async Task Creating_a_member_with_a_wrong_check_digit_names_the_national_number_field_and_stores_nothing()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var response = await staff.SubmitAsync(form, NewMember("90.01.01-998.94", "nora.invalid@example.org", "1990-01-01"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        var message = page.QuerySelector("[data-valmsg-for='Data.NationalNumber']")!;
        Assert.Contains("field-validation-error", message.ClassList);
        Assert.Contains("not a valid national number", message.TextContent);
        Assert.Equal("nora.invalid@example.org", page.QuerySelector<IHtmlInputElement>("[name='Data.Email']")!.Value);
        Assert.Equal(0, (await Store.SearchAsync(new MemberQuery(CountryScope.All) { Search = "nora.invalid" })).Total);
    }

    [Fact]
    public async Task A_national_number_another_member_holds_is_refused_on_the_field()
    {
        var holder = await FirstMemberAsync("BE", m => m.NationalNumber is not null);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var response = await staff.SubmitAsync(form, NewMember(holder.NationalNumber!, "nora.twin@example.org", holder.BirthDate.ToString("yyyy-MM-dd")));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("already has this national number", page.QuerySelector("[data-valmsg-for='Data.NationalNumber']")!.TextContent);
    }

    [Fact]
    public async Task A_birth_date_in_the_future_is_refused_on_the_field()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var future = DateTime.Today.AddYears(1).ToString("yyyy-MM-dd");
        var response = await staff.SubmitAsync(form, NewMember("77.02.15-996.88", "nora.future@example.org", future));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("future", page.QuerySelector("[data-valmsg-for='Data.BirthDate']")!.TextContent);
    }

    [Fact]
    public async Task In_a_country_without_a_personal_number_check_the_national_number_is_optional_free_text()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var values = NewMember("", "nora.de@example.org").Select(v => v.Item1 == "Data.Country" ? ("Data.Country", "DE") : v).ToArray();
        var response = await staff.SubmitAsync(form, values);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, (await Store.SearchAsync(new MemberQuery(CountryScope.Only("DE")) { Search = "nora.de" })).Total);
    }

    [Fact]
    public async Task Editing_a_member_saves_the_change_and_records_it_in_the_history()
    {
        var member = await FirstMemberAsync("FR");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var form = (await partner.GetPageAsync($"/Members/Edit/{member.Id}")).Forms["member-form"]!;
        var response = await partner.SubmitAsync(form, ("Data.Office", "Marseille-Nord"));
        var details = await partner.FollowAsync(response);

        Assert.Equal("Marseille-Nord", (await Store.GetAsync(member.Id))!.Office);
        var latest = details.QuerySelector("#history tbody tr")!.TextContent;
        Assert.Contains("partner.fr@smart.coop", latest);
        Assert.Contains("Marseille-Nord", latest);
    }

    [Fact]
    public async Task A_stale_edit_is_refused_and_the_newer_save_is_kept()
    {
        var member = await FirstMemberAsync("BE", m => m.Office != "Namur");
        using var first = await Browser.SignedInAsync(app, "staff@smart.coop");
        using var second = await Browser.SignedInAsync(app, "admin@smart.coop");
        var firstForm = (await first.GetPageAsync($"/Members/Edit/{member.Id}")).Forms["member-form"]!;
        var secondForm = (await second.GetPageAsync($"/Members/Edit/{member.Id}")).Forms["member-form"]!;

        Assert.Equal(HttpStatusCode.Redirect, (await first.SubmitAsync(firstForm, ("Data.Office", "Namur"))).StatusCode);
        var refused = await second.SubmitAsync(secondForm, ("Data.Office", "Liège"));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Browser.DocumentAsync(refused);
        Assert.Contains("Someone else saved this member", page.QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal("Namur", (await Store.GetAsync(member.Id))!.Office);
    }


    [Fact]
    public async Task The_csv_export_follows_the_filters_with_invariant_numbers_and_a_dated_file_name()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var link = (await staff.GetPageAsync("/Members?Country=BE&Sector=music")).QuerySelector<IHtmlAnchorElement>("#export")!.GetAttribute("href")!;
        var (disposition, header, rows) = await staff.DownloadCsvAsync(link);

        Assert.Contains($"members-{DateTime.Now:yyyy-MM-dd}.csv", disposition);
        Assert.Equal(Web.Pages.Members.ExportModel.Columns, header);
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal(("BE", "music"), (row["Country"], row["Sector"])));
        var expected = await Store.GetAsync(int.Parse(rows[0]["Id"]!));
        Assert.Equal(expected!.Email, rows[0]["Email"]);
        Assert.Equal(expected.AuthorRightsYearToDate, decimal.Parse(rows[0]["AuthorRightsYearToDate"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected.BirthDate.ToString("yyyy-MM-dd"), rows[0]["BirthDate"]);
        Assert.Equal((await Store.SearchAsync(new MemberQuery(CountryScope.All) { Country = "BE", Sector = "music" })).Total, rows.Count);
    }

    [Fact]
    public async Task A_partner_administrator_of_France_lists_and_exports_only_French_members()
    {
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var rows = Rows(await partner.GetPageAsync("/Members"));
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("FR", row.GetAttribute("data-country")));

        var (_, _, exported) = await partner.DownloadCsvAsync("/Members/Export");
        Assert.NotEmpty(exported);
        Assert.All(exported, row => Assert.Equal("FR", row["Country"]));
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_404_on_a_Belgian_member_and_403_when_asking_for_Belgium()
    {
        var belgian = await FirstMemberAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        foreach (var url in new[] { $"/Members/Details/{belgian.Id}", $"/Members/Edit/{belgian.Id}" })
        {
            var response = await partner.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(belgian.LastName, await response.Content.ReadAsStringAsync());
        }
        foreach (var url in new[] { "/Members?Country=BE", "/Members/Export?Country=BE" })
            Assert.True(HttpStatusCode.Forbidden == (await partner.Client.GetAsync(url)).StatusCode, url);

        // A forged post against the Belgian member is refused too, and the member is unchanged.
        var french = await FirstMemberAsync("FR");
        var form = (await partner.GetPageAsync($"/Members/Edit/{french.Id}")).Forms["member-form"]!;
        form.Action = $"/Members/Edit/{belgian.Id}";
        Assert.Equal(HttpStatusCode.NotFound, (await partner.SubmitAsync(form, ("Data.Office", "Paris"))).StatusCode);
        Assert.Equal(belgian.Office, (await Store.GetAsync(belgian.Id))!.Office);
        // The country select offers France only; a forged Belgian option is refused before any handler runs.
        var create = (await partner.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        create.QuerySelector("select[name='Data.Country']")!.InnerHtml += "<option value='BE'>BE</option>";
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.SubmitAsync(create, NewMember("88.03.12-995.29", "forged@example.org"))).StatusCode);
        Assert.Null(await Store.FindByNationalNumberAsync("BE", "88.03.12-995.29"));
    }

    [Theory]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Roles_that_do_not_work_on_members_get_403_on_every_member_page(string email)
    {
        var member = await FirstMemberAsync("BE");
        using var browser = await Browser.SignedInAsync(app, email);
        Assert.Null((await browser.GetPageAsync("/")).QuerySelector("#main-links a[data-nav='/Members/Index']"));
        foreach (var url in new[] { "/Members", $"/Members/Details/{member.Id}", "/Members/Create", $"/Members/Edit/{member.Id}", "/Members/Export" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain(member.LastName, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = Browser.Open(app);
        foreach (var url in new[] { "/Members", "/Members/Details/1", "/Members/Create", "/Members/Edit/1", "/Members/Export" })
        {
            var response = await anonymous.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/SignIn", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task In_French_sectors_and_the_national_number_error_are_French()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-BE");
        var list = await staff.GetPageAsync("/Members?Sector=music");
        Assert.Equal("Musique", Cell(Rows(list)[0], 2));
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var values = NewMember("90.01.01-998.94", "nora.fr@example.org", "1990-01-01").Select(v => v.Item1 == "Data.AuthorRightsYearToDate" ? (v.Item1, "0") : v).ToArray();
        var page = await Browser.DocumentAsync(await staff.SubmitAsync(form, values));
        Assert.Contains("numéro national", page.QuerySelector("[data-valmsg-for='Data.NationalNumber']")!.TextContent);
        Assert.Equal("Numéro national", page.QuerySelector("label[for='Data_NationalNumber']")!.TextContent.Trim());
    }
}
