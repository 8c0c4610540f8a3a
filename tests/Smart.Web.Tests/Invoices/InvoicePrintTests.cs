using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Plugins;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>The printable invoice: identities, mentions, totals and the payment reference in the country's format.</summary>
public class InvoicePrintTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    private async Task<ProductionUnit> UnitAsync(string country) =>
        (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<Client> ClientAsync(string country, ClientKind kind) =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = kind, Take = 1 })).Rows[0];


    private static async Task IssueAsync(Browser browser, int id) =>
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);

    [Fact]
    public async Task An_issued_Belgian_invoice_prints_a_valid_structured_communication_the_mentions_and_the_totals()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var client = await ClientAsync("BE", ClientKind.Business);
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), client, "formateurs-associes", ("Workshop", "training", "2", "450"), ("Illustration rights", "author-rights", "1", "1000"));
        await IssueAsync(staff, id);
        var invoice = (await Invoices.GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);

        var page = await staff.GetPageAsync($"/Invoices/Print/{id}");

        Assert.Contains(invoice.Number!, page.QuerySelector("#invoice-title")!.TextContent);
        Assert.Null(page.QuerySelector("#draft-mark"));
        var reference = page.QuerySelector("#payment-reference")!.GetAttribute("data-reference")!;
        Assert.Matches(@"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$", reference);
        var belgium = app.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Plugin;
        Assert.True(belgium.Validators[IdentifierKind.PaymentReference].Check(reference).IsValid, reference);
        // Built from the number: BE-2026-000007 → 2026000007, the first ten digits of the communication.
        Assert.Equal(PrintModel.ReferenceBase(invoice.Number)!.Value.ToString("0000000000", CultureInfo.InvariantCulture),
            new string(reference.Where(char.IsAsciiDigit).ToArray())[..10]);

        var mentions = page.QuerySelector("#mentions")!.TextContent;
        Assert.NotEmpty(invoice.Evaluation!.Mentions);
        Assert.All(invoice.Evaluation.Mentions, mention => Assert.Contains(mention, mentions));
        Assert.Contains("article 44", mentions);
        var totals = page.QuerySelector("#totals")!;
        Assert.Equal(invoice.Evaluation.Totals.Gross, decimal.Parse(totals.GetAttribute("data-gross")!, CultureInfo.InvariantCulture));
        Assert.Equal(invoice.Evaluation.Totals.Vat, decimal.Parse(totals.GetAttribute("data-vat")!, CultureInfo.InvariantCulture));
        Assert.Contains("€", totals.QuerySelector("[data-field='gross']")!.TextContent);
        Assert.Equal(2, page.QuerySelectorAll("#lines tbody tr").Length);

        // The training body prints its own identity; what the manifest leaves unknown is left out, not written "null".
        var seller = page.QuerySelector("#seller")!;
        Assert.Equal("Formateurs Associés", seller.QuerySelector("[data-field='name']")!.TextContent.Trim());
        Assert.Equal("ASBL", seller.QuerySelector("[data-field='legal-form']")!.TextContent.Trim());
        var trainingBody = app.Services.GetRequiredService<PluginCatalog>().Find("BE")!.Manifest.Issuers.Single(i => i.Id == "formateurs-associes");
        Assert.Contains(trainingBody.VatNumber!, seller.QuerySelector("[data-field='vat-number']")!.TextContent);
        Assert.DoesNotContain("null", seller.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(client.Name, page.QuerySelector("#client [data-field='name']")!.TextContent);
        if (client.VatNumber is { } vat) Assert.Contains(vat, page.QuerySelector("#client [data-field='vat-number']")!.TextContent);
        Assert.Contains("@page", page.QuerySelector("style")!.TextContent);
        Assert.Null(page.QuerySelector("#main-nav"));
    }

    [Fact]
    public async Task A_draft_prints_as_a_draft_without_a_payment_reference_with_the_cooperatives_identity()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), "smartcoop", ("Design", "service", "1", "100"));

        var page = await staff.GetPageAsync($"/Invoices/Print/{id}");

        Assert.NotNull(page.QuerySelector("#draft-mark"));
        Assert.Null(page.QuerySelector("#payment-reference"));
        Assert.Equal("SCES agréée", page.QuerySelector("#seller [data-field='legal-form']")!.TextContent.Trim());
        Assert.Contains("Rue Coenraets", page.QuerySelector("#seller [data-field='address']")!.TextContent);
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_404_on_a_Belgian_printable_invoice()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), "smartcoop", ("Design", "service", "1", "100"));
        await IssueAsync(staff, id);
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");

        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Invoices/Print/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync("/Invoices/Print/999999")).StatusCode);
    }

    [Theory]
    [InlineData("BE-2026-000042", 2026000042L)]
    [InlineData("SE-2027-000001", 2027000001L)]
    [InlineData(null, null)]
    [InlineData("not-a-number", null)]
    public void The_payment_reference_is_built_from_the_year_and_the_place_in_the_sequence(string? number, long? expected) =>
        Assert.Equal(expected, PrintModel.ReferenceBase(number));
}
