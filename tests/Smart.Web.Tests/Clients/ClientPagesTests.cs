using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Tests.Clients;

public class ClientPagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IClientStore Store => app.Services.GetRequiredService<IClientStore>();

    /// <summary>A Belgian enterprise number no demo client has: the last two digits are 97 − (first eight mod 97).</summary>
    private static string BelgianNumber(int serial)
    {
        var first = 9_900_000 + serial;
        var digits = first.ToString("D8", CultureInfo.InvariantCulture) + (97 - first % 97).ToString("D2", CultureInfo.InvariantCulture);
        return $"{digits[..4]}.{digits[4..7]}.{digits[7..]}";
    }

    private async Task<Client> FirstClientAsync(string country, Func<Client, bool>? where = null)
    {
        var rows = (await Store.SearchAsync(new ClientQuery(CountryScope.Only(country)) { Take = 200 })).Rows;
        return rows.First(where ?? (_ => true));
    }

    private async Task<Client> AddAsync(Client client) => await Store.AddAsync(client, new AuditActor("test"));

    private static IReadOnlyList<string?> Countries(IHtmlDocument list) =>
        list.QuerySelectorAll("#clients tbody tr").Select(r => r.GetAttribute("data-country")).ToList();

    [Fact]
    public async Task Staff_see_the_first_page_of_clients_with_the_total_and_page_links()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var list = await staff.GetPageAsync("/Clients");
        Assert.Equal(50, list.QuerySelectorAll("#clients tbody tr").Length);
        var total = (await Store.SearchAsync(new ClientQuery(CountryScope.All) { Take = 1 })).Total;
        Assert.Contains(total.ToString("N0", CultureInfo.GetCultureInfo("en-BE")), list.QuerySelector("#client-count")!.TextContent);
        Assert.NotNull(list.QuerySelector("#client-pages a[data-page='2']"));
        Assert.NotNull(list.QuerySelector("#main-links a[data-nav='/Clients/Index']"));
    }

    [Fact]
    public async Task Search_finds_a_seeded_client_by_name()
    {
        var seeded = await FirstClientAsync("BE", c => c.Kind == ClientKind.Business);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var list = await staff.GetPageAsync("/Clients?search=" + Uri.EscapeDataString(seeded.Name));
        var rows = list.QuerySelectorAll("#clients tbody tr");
        Assert.NotEmpty(rows);
        Assert.Contains(rows, r => r.GetAttribute("data-client") == seeded.Id.ToString(CultureInfo.InvariantCulture));
        Assert.True(rows.Length < 50);
    }

    [Fact]
    public async Task Sorting_by_country_follows_the_header_link_both_ways()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var list = await staff.GetPageAsync("/Clients");
        var header = (IHtmlAnchorElement)list.QuerySelector("#clients th a[data-sort='Country']")!;
        var ascending = await staff.GetPageAsync(header.Href);
        Assert.Equal("AT", Countries(ascending)[0]);
        var reverse = (IHtmlAnchorElement)ascending.QuerySelector("#clients th a[data-sort='Country']")!;
        var descending = await staff.GetPageAsync(reverse.Href);
        Assert.Equal("SE", Countries(descending)[0]);
    }

    [Fact]
    public async Task Page_two_shows_the_next_clients()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var first = await staff.GetPageAsync("/Clients");
        var second = await staff.GetPageAsync(((IHtmlAnchorElement)first.QuerySelector("#client-pages a[data-page='2']")!).Href);
        Assert.Equal("2", second.QuerySelector("#client-pages .active a")!.TextContent.Trim());
        var firstIds = first.QuerySelectorAll("#clients tbody tr").Select(r => r.GetAttribute("data-client")).ToHashSet();
        Assert.DoesNotContain(second.QuerySelectorAll("#clients tbody tr"), r => firstIds.Contains(r.GetAttribute("data-client")));
    }

    [Fact]
    public async Task Filtering_by_country_kind_and_legal_form_keeps_only_matching_clients()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var list = await staff.GetPageAsync("/Clients?country=BE&kind=Business&legalForm=SRL");
        var rows = list.QuerySelectorAll("#clients tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("BE", r.GetAttribute("data-country")));
        Assert.All(rows, r => Assert.Equal("SRL", r.Children[3].TextContent.Trim()));
    }

    [Fact]
    public async Task The_detail_page_shows_the_client_its_history_and_how_an_invoice_to_it_is_taxed()
    {
        var seeded = await FirstClientAsync("BE", c => c.Kind == ClientKind.Business && c.VatNumber is not null);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/Clients/Details/{seeded.Id}");
        Assert.Equal(seeded.VatNumber, page.QuerySelector("[data-field='vat-number']")!.TextContent.Trim());
        Assert.NotEmpty(page.QuerySelectorAll("#history tbody tr"));
        Assert.Contains("system:demo-seed", page.QuerySelector("#history")!.TextContent);
        // A Belgian business with a valid VAT number, invoiced from Belgium: domestic standard rate.
        Assert.Equal("standard", page.QuerySelector("[data-field='vat-treatment']")!.GetAttribute("data-treatment"));
        Assert.Null(page.QuerySelector("#vat-warning"));
    }

    [Fact]
    public async Task A_business_whose_legal_form_implies_a_VAT_number_but_has_none_gets_a_warning()
    {
        var client = await AddAsync(new Client { Country = "BE", Kind = ClientKind.Business, Name = "Zonder Btw BV", LegalForm = "SRL" });
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/Clients/Details/{client.Id}");
        Assert.Contains("non-registered", page.QuerySelector("#vat-warning")!.TextContent);
        Assert.NotNull(page.QuerySelector("[data-field='vat-treatment']"));
    }

    [Fact]
    public async Task Creating_a_client_with_a_valid_VAT_number_stores_it_normalised_and_audits_it()
    {
        var number = BelgianNumber(1);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.Country", "BE"), ("Data.Kind", "Business"), ("Data.Name", "Atelier Nouveau SRL"),
            ("Data.LegalForm", "SRL"), ("Data.VatNumber", "BE " + number), ("Data.CompanyNumber", number.Replace(".", "")), ("Data.City", "Namur"));
        var details = await staff.FollowAsync(response);

        var expected = "BE" + number.Replace(".", "");
        Assert.Equal(expected, details.QuerySelector("[data-field='vat-number']")!.TextContent.Trim());
        Assert.Equal(number, details.QuerySelector("[data-field='company-number']")!.TextContent.Trim());
        var stored = await Store.FindByVatNumberAsync("BE", expected);
        Assert.Equal("Atelier Nouveau SRL", stored!.Name);
        Assert.Contains("staff@smart.coop", details.QuerySelector("#history")!.TextContent);
    }

    [Fact]
    public async Task Creating_a_client_with_an_invalid_VAT_number_names_the_field_and_stores_nothing()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.Country", "BE"), ("Data.Kind", "Business"), ("Data.Name", "Mauvais Numéro SA"),
            ("Data.LegalForm", "SA"), ("Data.VatNumber", "BE0123456788"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("VAT number", page.QuerySelector("[data-valmsg-for='Data.VatNumber']")!.TextContent);
        Assert.Equal(0, (await Store.SearchAsync(new ClientQuery(CountryScope.All) { Search = "Mauvais Numéro" })).Total);
    }

    [Fact]
    public async Task A_legal_form_of_another_country_is_refused_on_its_field()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.Country", "BE"), ("Data.Kind", "Business"), ("Data.Name", "Fremde Form"),
            ("Data.LegalForm", "GmbH"));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("GmbH", page.QuerySelector("[data-valmsg-for='Data.LegalForm']")!.TextContent);
    }

    [Fact]
    public async Task A_VAT_number_another_client_of_the_country_has_is_refused()
    {
        var holder = await FirstClientAsync("BE", c => c.VatNumber is not null);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.Country", "BE"), ("Data.Kind", "Business"), ("Data.Name", "Doublon SRL"),
            ("Data.VatNumber", holder.VatNumber!));
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("Another client", page.QuerySelector("[data-valmsg-for='Data.VatNumber']")!.TextContent);
    }

    [Fact]
    public async Task Editing_saves_and_a_stale_form_is_refused_without_overwriting()
    {
        var client = await AddAsync(new Client { Country = "FR", Kind = ClientKind.Individual, Name = "Camille Avant", City = "Lyon" });
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var first = (await staff.GetPageAsync($"/Clients/Edit/{client.Id}")).Forms["client-form"]!;
        var second = (await staff.GetPageAsync($"/Clients/Edit/{client.Id}")).Forms["client-form"]!;

        var saved = await staff.FollowAsync(await staff.SubmitAsync(first, ("Data.Name", "Camille Après")));
        Assert.Equal("Camille Après", saved.QuerySelector("h1")!.TextContent.Trim());

        var stale = await staff.SubmitAsync(second, ("Data.Name", "Camille Périmée"));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var page = await Browser.DocumentAsync(stale);
        Assert.Contains("Someone else saved this client", page.QuerySelector(".validation-summary-errors")!.TextContent);
        Assert.Equal("Camille Après", (await Store.GetAsync(client.Id))!.Name);
    }

    [Fact]
    public async Task The_export_is_a_CSV_of_the_filtered_list()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var response = await staff.Client.GetAsync("/Clients/Export?country=IT&kind=Business");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Matches(@"clients-\d{4}-\d{2}-\d{2}\.csv", response.Content.Headers.ContentDisposition!.FileName);

        var lines = ReadCsv(await response.Content.ReadAsStringAsync(), out var headers);
        Assert.Equal(["Id", "Name", "Country", "Kind", "LegalForm", "VatNumber", "CompanyNumber", "Address", "City", "Email"], headers);
        var expected = (await Store.SearchAsync(new ClientQuery(CountryScope.Only("IT")) { Kind = ClientKind.Business, Take = 1 })).Total;
        Assert.Equal(expected, lines.Count);
        Assert.All(lines, l => Assert.Equal(("IT", "business"), (l["Country"], l["Kind"])));
        var stored = await Store.GetAsync(int.Parse(lines[0]["Id"], CultureInfo.InvariantCulture));
        Assert.Equal(stored!.Name, lines[0]["Name"]);
        Assert.Equal(stored.VatNumber ?? "", lines[0]["VatNumber"]);
    }

    [Fact]
    public async Task A_partner_administrator_exports_only_their_country()
    {
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var response = await partner.Client.GetAsync("/Clients/Export");
        var lines = ReadCsv(await response.Content.ReadAsStringAsync(), out _);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal("FR", l["Country"]));
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_nothing_Belgian()
    {
        var belgian = await FirstClientAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");

        Assert.All(Countries(await partner.GetPageAsync("/Clients")), c => Assert.Equal("FR", c));
        Assert.All(Countries(await partner.GetPageAsync("/Clients?search=" + Uri.EscapeDataString(belgian.Name))), c => Assert.Equal("FR", c));
        foreach (var url in new[] { $"/Clients/Details/{belgian.Id}", $"/Clients/Edit/{belgian.Id}" })
        {
            var response = await partner.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(belgian.Name, await response.Content.ReadAsStringAsync());
        }
        foreach (var url in new[] { "/Clients?country=BE", "/Clients/Export?country=BE" })
            Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync(url)).StatusCode);

        // Posting an edit of the Belgian client through a French form changes nothing.
        var own = await FirstClientAsync("FR");
        var form = (await partner.GetPageAsync($"/Clients/Edit/{own.Id}")).Forms["client-form"]!;
        form.Action = $"/Clients/Edit/{belgian.Id}";
        var posted = await partner.SubmitAsync(form, ("Data.Name", "Pris par la France"));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(belgian.Name, (await Store.GetAsync(belgian.Id))!.Name);

        // Nor can a French form create a Belgian client.
        var create = (await partner.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        Assert.DoesNotContain(create.QuerySelectorAll("select[name='Data.Country'] option"), o => o.GetAttribute("value") == "BE");
        // A browser's tools can add the option back; the server still refuses the country.
        var countries = (IHtmlSelectElement)create.QuerySelector("select[name='Data.Country']")!;
        var belgium = (IHtmlOptionElement)create.Owner!.CreateElement("option");
        belgium.Value = "BE";
        countries.AppendChild(belgium);
        var created = await partner.SubmitAsync(create, ("Data.Country", "BE"), ("Data.Name", "Belge en douce"), ("Data.Kind", "Individual"));
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Equal(0, (await Store.SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Search = "Belge en douce" })).Total);
    }

    [Theory]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Rule_roles_get_403_on_every_client_page(string email)
    {
        var client = await FirstClientAsync("BE");
        using var browser = await Browser.SignedInAsync(app, email);
        Assert.Null((await browser.GetPageAsync("/")).QuerySelector("#main-links a[data-nav='/Clients/Index']"));
        foreach (var url in new[] { "/Clients", "/Clients/Create", $"/Clients/Details/{client.Id}", $"/Clients/Edit/{client.Id}", "/Clients/Export" })
        {
            var response = await browser.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain(client.Name, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        using var anonymous = Browser.Open(app);
        foreach (var url in new[] { "/Clients", "/Clients/Create", "/Clients/Details/1", "/Clients/Edit/1", "/Clients/Export" })
        {
            var response = await anonymous.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/Account/SignIn", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task The_list_and_form_are_in_French_for_a_French_speaker()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Dfr-BE%7Cuic%3Dfr-BE");
        var list = await staff.GetPageAsync("/Clients?country=BE&kind=Business");
        Assert.Equal("Nouveau client", list.QuerySelector("#create-client")!.TextContent.Trim());
        Assert.Equal("Entreprise", list.QuerySelector("#clients tbody tr")!.Children[2].TextContent.Trim());
        var form = await staff.GetPageAsync("/Clients/Create");
        Assert.Contains("Société à responsabilité limitée", form.QuerySelector("select[name='Data.LegalForm'] optgroup[data-country='BE']")!.TextContent);
    }

    private static List<Dictionary<string, string>> ReadCsv(string text, out IReadOnlyList<string> headers)
    {
        using var csv = CsvReader.FromText(text);
        var lines = new List<Dictionary<string, string>>();
        headers = csv.Headers.ToList();
        while (csv.Read())
            lines.Add(headers.ToDictionary(h => h, h => csv.GetString(h)));
        return lines;
    }
}
