using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Plugins;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Tests.Invoices;

namespace Smart.Web.Tests.Find;

/// <summary>
/// Issue 15, item 1: the pickers' JSON lists and the top bar's search, through the real app and store: what a typed word finds, that a
/// partner finds only their country's records, and that a bad query is a 400 naming its field.
/// </summary>
public class FindTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Staff = "staff@smart.coop", PartnerFr = "partner.fr@smart.coop";

    /// <summary>A Belgian unit, its member, and a Belgian business client with a VAT number.</summary>
    private async Task<(ProductionUnit Unit, Member Member, Client Client)> BelgianRecordsAsync()
    {
        var belgium = CountryScope.Only("BE");
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(belgium) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var member = (await app.Services.GetRequiredService<IMemberStore>().GetAsync(unit.MemberId))!;
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(belgium) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => !string.IsNullOrEmpty(c.VatNumber));
        return (unit, member, client);
    }

    private static async Task<JsonElement> ChoicesAsync(Browser browser, string query)
    {
        var response = await browser.Client.GetAsync("/Find?" + query);
        return await response.AssertOkAsync();
    }

    private static IReadOnlyList<int> Ids(JsonElement choices) => choices.EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();

    /// <summary>The start of the member's last name, as a person types it: lower case, a few letters.</summary>
    private static string PartOf(string name) => name.Split(' ', '-')[0][..Math.Min(5, name.Split(' ', '-')[0].Length)].ToLowerInvariant();

    [Fact]
    public async Task Member_picker_finds_a_member_by_part_of_the_name_and_by_number()
    {
        var (_, member, _) = await BelgianRecordsAsync();
        using var staff = await Browser.SignedInAsync(app, Staff);

        var byName = await ChoicesAsync(staff, "handler=Members&q=" + Uri.EscapeDataString(PartOf(member.LastName) + " " + PartOf(member.FirstName)));
        Assert.Contains(member.Id, Ids(byName));
        var found = byName.EnumerateArray().First(c => c.GetProperty("id").GetInt32() == member.Id);
        Assert.Equal(member.Name, found.GetProperty("label").GetString());
        Assert.Equal("BE", found.GetProperty("country").GetString());

        var byNumber = await ChoicesAsync(staff, "handler=Members&q=" + member.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(member.Id, Ids(byNumber)[0]);
    }

    [Fact]
    public async Task Unit_picker_finds_a_unit_by_its_members_name_and_shows_that_name()
    {
        var (unit, member, _) = await BelgianRecordsAsync();
        using var staff = await Browser.SignedInAsync(app, Staff);

        var choices = await ChoicesAsync(staff, "handler=Units&q=" + Uri.EscapeDataString(member.LastName));
        var found = choices.EnumerateArray().First(c => c.GetProperty("id").GetInt32() == unit.Id);
        Assert.Equal(unit.Name, found.GetProperty("label").GetString());
        Assert.Equal(member.Name, found.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Client_picker_finds_a_client_by_VAT_number_and_keeps_to_the_country_asked()
    {
        var (_, _, client) = await BelgianRecordsAsync();
        using var staff = await Browser.SignedInAsync(app, Staff);

        Assert.Contains(client.Id, Ids(await ChoicesAsync(staff, "handler=Clients&q=" + Uri.EscapeDataString(client.VatNumber!))));
        Assert.Contains(client.Id, Ids(await ChoicesAsync(staff, "handler=Clients&country=BE&q=" + Uri.EscapeDataString(client.VatNumber!))));
        Assert.DoesNotContain(client.Id, Ids(await ChoicesAsync(staff, "handler=Clients&country=FR&q=" + Uri.EscapeDataString(client.VatNumber!))));
        var words = await ChoicesAsync(staff, "handler=Clients&country=FR&q=" + Uri.EscapeDataString(client.Name.Split(' ')[0]));
        Assert.All(words.EnumerateArray(), c => Assert.Equal("FR", c.GetProperty("country").GetString()));
    }

    [Fact]
    public async Task Partner_administrator_of_France_finds_no_Belgian_record_in_any_picker()
    {
        var (unit, member, client) = await BelgianRecordsAsync();
        using var partner = await Browser.SignedInAsync(app, PartnerFr);

        foreach (var (handler, q, id) in new[]
                 {
                     ("Members", member.LastName, member.Id), ("Members", member.Id.ToString(CultureInfo.InvariantCulture), member.Id),
                     ("Units", member.LastName, unit.Id), ("Units", unit.Id.ToString(CultureInfo.InvariantCulture), unit.Id),
                     ("Clients", client.VatNumber!, client.Id), ("Clients", client.Id.ToString(CultureInfo.InvariantCulture), client.Id),
                 })
        {
            var choices = await ChoicesAsync(partner, $"handler={handler}&q={Uri.EscapeDataString(q)}");
            Assert.DoesNotContain(id, Ids(choices));
            Assert.All(choices.EnumerateArray(), c => Assert.Equal("FR", c.GetProperty("country").GetString()));
        }
        // Asking for Belgium outright is refused, not answered empty.
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync("/Find?handler=Clients&country=BE&q=a")).StatusCode);
    }

    [Theory]
    [InlineData("handler=Members&q=", "q")]
    [InlineData("handler=Units", "q")]
    [InlineData("handler=Clients&q=a&country=BEL", "country")]
    public async Task Bad_picker_query_is_a_400_problem_naming_the_field(string query, string field)
    {
        using var staff = await Browser.SignedInAsync(app, Staff);
        var problem = await (await staff.Client.GetAsync("/Find?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal([field], problem.ErrorFields());
    }

    [Fact]
    public async Task Too_long_a_picker_query_is_a_400_problem_naming_q()
    {
        using var staff = await Browser.SignedInAsync(app, Staff);
        var problem = await (await staff.Client.GetAsync("/Find?handler=Members&q=" + new string('a', 101))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["q"], problem.ErrorFields());
    }

    [Fact]
    public async Task Global_search_lists_the_member_their_unit_and_links_each_to_its_page()
    {
        var (unit, member, _) = await BelgianRecordsAsync();
        using var staff = await Browser.SignedInAsync(app, Staff);

        var top = await staff.GetPageAsync("/");
        var box = top.QuerySelector("#global-search input[name=q]");
        Assert.NotNull(box);
        var page = await staff.GetPageAsync("/Find?q=" + Uri.EscapeDataString(PartOf(member.LastName) + " " + PartOf(member.FirstName)));
        Assert.Equal($"/Members/Details/{member.Id}", page.QuerySelector($"#found-members li[data-id='{member.Id}'] a")?.GetAttribute("href"));
        Assert.Equal($"/ProductionUnits/Details/{unit.Id}", page.QuerySelector($"#found-units li[data-id='{unit.Id}'] a")?.GetAttribute("href"));
    }

    [Fact]
    public async Task Global_search_finds_an_issued_invoice_by_number_payment_reference_and_amount_but_not_for_another_country()
    {
        var (unit, _, client) = await BelgianRecordsAsync();
        using var staff = await Browser.SignedInAsync(app, Staff);
        var id = await InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop", ("Design work", "service", "3", "417.13"));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
        var invoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        var parts = invoice.Number!.Split('-');
        var reference = app.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Plugin
            .PaymentReference(long.Parse(parts[1], CultureInfo.InvariantCulture) * 1_000_000 + long.Parse(parts[2], CultureInfo.InvariantCulture));
        var gross = invoice.Evaluation!.Totals.Gross.ToString("0.00", CultureInfo.InvariantCulture);

        foreach (var q in new[] { invoice.Number, invoice.Number.ToLowerInvariant(), reference, gross })
        {
            var page = await staff.GetPageAsync("/Find?q=" + Uri.EscapeDataString(q));
            var row = page.QuerySelector($"#connected-invoice-rows tr[data-invoice='{id}']");
            Assert.True(row is not null, $"'{q}' should find invoice {invoice.Number}");
            Assert.Equal($"/Invoices/Details/{id}", row!.QuerySelector("a")!.GetAttribute("href"));
        }

        using var partner = await Browser.SignedInAsync(app, PartnerFr);
        foreach (var q in new[] { invoice.Number, reference, gross })
            Assert.Null((await partner.GetPageAsync("/Find?q=" + Uri.EscapeDataString(q))).QuerySelector($"tr[data-invoice='{id}']"));
    }

    [Fact]
    public async Task Global_search_refuses_too_long_a_query_on_its_field()
    {
        using var staff = await Browser.SignedInAsync(app, Staff);
        var response = await staff.Client.GetAsync("/Find?q=" + new string('a', 101));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("#q-error")!.TextContent));
        Assert.Null(page.QuerySelector("#find-results"));
    }
}
