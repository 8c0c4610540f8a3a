using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Plugins;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>A refused post re-renders the form with its choices loaded through the page's request, so the user's countries apply there too.</summary>
public class InvoiceFormChoicesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private async Task<ProductionUnit> UnitAsync(string country) =>
        (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<IReadOnlyList<Client>> ClientsAsync(string country) =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(country)) { Take = 1000 })).Rows;

    /// <summary>Posts the create form of a unit the partner sees, with another unit's id and no client, as a hand-made request would.</summary>
    private static async Task<HttpResponseMessage> PostWithoutClientAsync(Browser browser, ProductionUnit formOf, ProductionUnit posted)
    {
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={formOf.Id}")).Forms["invoice-form"]!;
        return await browser.SubmitAsync(form, ("Data.ProductionUnitId", posted.Id.ToString(CultureInfo.InvariantCulture)), ("Data.ClientId", ""),
            ("Data.Lines[0].Description", "Design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].UnitPrice", "100"));
    }

    [Fact]
    public async Task A_French_partner_posting_a_Belgian_unit_without_a_client_sees_nothing_Belgian()
    {
        var belgian = await UnitAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");

        var response = await PostWithoutClientAsync(partner, await UnitAsync("FR"), belgian);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        var html = page.DocumentElement.OuterHtml;
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='Data.ClientId']")!.TextContent));
        Assert.DoesNotContain(belgian.Name, html, StringComparison.Ordinal);
        var offered = page.QuerySelectorAll("select[name='Data.ClientId'] option").Select(o => o.GetAttribute("value")).Where(v => v is { Length: > 0 }).ToList();
        Assert.Empty(offered);
        foreach (var client in await ClientsAsync("BE"))
            Assert.DoesNotContain(">" + client.Name + " (", html, StringComparison.Ordinal);
        foreach (var issuer in app.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Manifest.Issuers)
            Assert.Empty(page.QuerySelectorAll($"select[name='Data.Issuer'] option[value='{issuer.Id}']"));
    }

    [Fact]
    public async Task A_refused_post_of_a_visible_unit_offers_that_unit_s_clients_and_issuers_again()
    {
        var french = await UnitAsync("FR");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");

        var response = await PostWithoutClientAsync(partner, french, french);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Equal(french.Name, page.QuerySelector("#unit-name")!.TextContent.Trim());
        var offered = page.QuerySelectorAll("select[name='Data.ClientId'] option").Select(o => o.GetAttribute("value")).Where(v => v is { Length: > 0 }).ToList();
        Assert.Equal((await ClientsAsync("FR")).Select(c => c.Id.ToString(CultureInfo.InvariantCulture)).Order(), offered.Order());
        Assert.NotEmpty(page.QuerySelectorAll("select[name='Data.Issuer'] option[value='smart-fr']"));
    }
}
