using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests;

/// <summary>
/// Every intranet page against every demo role, and every record page against every country: the answer is the page,
/// 403 or 404 — never another country's data. One place that fails when a new page forgets its declaration.
/// </summary>
public class AccessMatrixTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Admin = "admin@smart.coop", Staff = "staff@smart.coop", PartnerFr = "partner.fr@smart.coop",
        PartnerIt = "partner.it@smart.coop", Compliance = "compliance@smart.coop", Approver = "approver@smart.coop";

    private static readonly string[] Everyone = [Admin, Staff, PartnerFr, PartnerIt, Compliance, Approver];
    private static readonly string[] MemberWork = [Admin, Staff, PartnerFr, PartnerIt];

    private static readonly (string Url, string[] Allowed)[] Pages =
    [
        ("/", Everyone),
        ("/Members", MemberWork), ("/Members/Create", MemberWork), ("/Members/Export", MemberWork),
        ("/ProductionUnits", MemberWork), ("/ProductionUnits/Create", MemberWork), ("/ProductionUnits/Export", MemberWork),
        ("/Clients", MemberWork), ("/Clients/Create", MemberWork), ("/Clients/Export", MemberWork),
        ("/ExpenseClaims", MemberWork), ("/ExpenseClaims/Create", MemberWork), ("/ExpenseClaims/Export", MemberWork),
        ("/Guarantee", MemberWork), ("/Guarantee?handler=Csv", MemberWork),
        ("/BankStatements", MemberWork), ("/BankStatements/Waiting", MemberWork), ("/Invoices/Ageing", MemberWork), ("/Invoices/Ageing?handler=Csv", MemberWork),
        ("/ThreeInOne/Create", MemberWork),
        ("/Find", MemberWork), ("/Find?q=a", MemberWork), ("/Find?handler=Members&q=a", MemberWork), ("/Find?handler=Units&q=a", MemberWork),
        ("/Find?handler=Clients&q=a", MemberWork),
        ("/Admin/Accounts", [Admin]), ("/Admin/Accounts/Create", [Admin]),
        ("/Rules", [Admin, PartnerFr, PartnerIt, Compliance, Approver]), ("/Rules/Import", [PartnerFr, PartnerIt, Compliance]),
    ];

    public static TheoryData<string, string, int> PageAnswers()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (url, allowed) in Pages)
            foreach (var account in Everyone)
                data.Add(url, account, allowed.Contains(account) ? 200 : 403);
        return data;
    }

    [Theory]
    [MemberData(nameof(PageAnswers))]
    public async Task Page_answers_each_role_as_it_must(string url, string account, int expected)
    {
        using var browser = await Browser.SignedInAsync(app, account);
        var response = await browser.Client.GetAsync(url);
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_visitor_is_sent_to_sign_in_from_every_page()
    {
        using var browser = Browser.Open(app);
        foreach (var (url, _) in Pages)
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static TheoryData<string, string, int> RecordAnswers() => new()
    {
        // A Belgian record: staff see it, partner administrators of France and Italy get 404, as for a missing one.
        { "Members/Details", Staff, 200 }, { "Members/Details", PartnerFr, 404 }, { "Members/Details", PartnerIt, 404 },
        { "Members/Edit", Staff, 200 }, { "Members/Edit", PartnerFr, 404 }, { "Members/Edit", Compliance, 403 },
        { "ProductionUnits/Details", Staff, 200 }, { "ProductionUnits/Details", PartnerFr, 404 }, { "ProductionUnits/Edit", PartnerIt, 404 },
        { "Clients/Details", Staff, 200 }, { "Clients/Details", PartnerFr, 404 }, { "Clients/Edit", PartnerIt, 404 },
        { "Clients/Details", Approver, 403 },
        { "ProductionUnits/Ledger", Staff, 200 }, { "ProductionUnits/Ledger", PartnerFr, 404 }, { "ProductionUnits/Ledger", PartnerIt, 404 },
        { "ProductionUnits/Ledger", Compliance, 403 },
        { "ThreeInOne/Create", Staff, 200 }, { "ThreeInOne/Create", PartnerFr, 404 }, { "ThreeInOne/Create", PartnerIt, 404 },
        { "ThreeInOne/Create", Compliance, 403 },
    };

    [Theory]
    [MemberData(nameof(RecordAnswers))]
    public async Task Belgian_record_is_shown_only_to_those_who_may_see_Belgium(string page, string account, int expected)
    {
        var id = await BelgianRecordAsync(page.Split('/')[0]);
        using var browser = await Browser.SignedInAsync(app, account);
        var response = await browser.Client.GetAsync($"/{page}/{id}");
        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        if (expected != 200) Assert.DoesNotContain(id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "</", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Partner_administrator_of_France_finds_nothing_Belgian_in_any_list_or_export()
    {
        using var browser = await Browser.SignedInAsync(app, PartnerFr);
        var belgianMember = await app.Services.GetRequiredService<IMemberStore>().GetAsync(await BelgianRecordAsync("Members"));
        foreach (var url in new[] { "/Members?Country=", "/Members/Export", "/Clients/Export", "/ProductionUnits/Export",
                     $"/Members?Search={Uri.EscapeDataString(belgianMember!.LastName)}" })
        {
            var body = await (await browser.Client.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(",BE,", body);
            Assert.DoesNotContain(belgianMember.NationalNumber ?? "no national number", body);
        }
    }

    private async Task<int> BelgianRecordAsync(string feature)
    {
        var belgium = CountryScope.Only("BE");
        return feature switch
        {
            "Members" => (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(belgium) { Take = 1 })).Rows[0].Id,
            // A 3-in-1 job is made on a production unit.
            "ProductionUnits" or "ThreeInOne" => (await app.Services.GetRequiredService<IProductionUnitStore>().SearchAsync(new ProductionUnitQuery(belgium) { Take = 1 })).Rows[0].Id,
            _ => (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(belgium) { Take = 1 })).Rows[0].Id,
        };
    }
}

/// <summary>The home page tells staff which members are about to leave the favourable author-rights regime.</summary>
public class HomeAttentionTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Home_page_counts_members_near_the_author_rights_ceiling_and_links_to_exactly_them()
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        var ceiling = app.Services.GetRequiredService<Smart.Rules.Evaluation.DocumentEvaluator>().AuthorRightsCeiling("BE", today)!.Value;
        var threshold = Math.Floor(ceiling * 0.9m);
        var store = app.Services.GetRequiredService<IMemberStore>();
        var expected = 0;
        await foreach (var member in store.ExportAsync(new MemberQuery(CountryScope.Only("BE")) { Active = true }))
            if (member.AuthorRightsYearToDate >= threshold) expected++;
        Assert.True(expected > 0, "the demo seed puts some Belgian members near the ceiling");

        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var home = await browser.GetPageAsync("/");
        var item = home.QuerySelector("#near-ceiling li[data-country=BE] a")!;
        Assert.StartsWith(expected.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", item.TextContent.Trim());

        var list = await browser.GetPageAsync(item.GetAttribute("href")!);
        var rows = list.QuerySelectorAll("#members tbody tr[data-member]");
        Assert.Equal(Math.Min(expected, 50), rows.Length);
        Assert.All(rows, row => Assert.Equal("BE", row.GetAttribute("data-country")));
    }

    [Fact]
    public async Task Partner_administrator_of_Italy_sees_no_ceiling_line_for_a_regime_without_ceiling()
    {
        using var browser = await Browser.SignedInAsync(app, "partner.it@smart.coop");
        var home = await browser.GetPageAsync("/");
        Assert.Null(home.QuerySelector("#near-ceiling li"));
    }
}
