using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// The outputs the legal review of 2026-12 added (Italy's stamp duty, the author rights above Belgium's 70/30 cap, the penalty cap of
/// Book XIX) on the invoice page and the printable invoice, only where the evaluation has them.
/// </summary>
public class InvoiceLegalOutputsTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    private static decimal Number(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    private async Task<Invoice> DraftAsync(Browser browser, string country, ClientKind kind, params (string Category, string UnitPrice)[] lines)
    {
        var units = app.Services.GetRequiredService<IProductionUnitStore>();
        var unit = (await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = kind, Take = 1 })).Rows[0];
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var values = new List<(string, string)> { ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15") };
        for (var i = 0; i < lines.Length; i++)
            values.AddRange([($"Data.Lines[{i}].Description", "Work"), ($"Data.Lines[{i}].Category", lines[i].Category), ($"Data.Lines[{i}].Quantity", "1"),
                ($"Data.Lines[{i}].UnitPrice", lines[i].UnitPrice)]);
        var response = await browser.SubmitAsync(form, [.. values]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (await Invoices.GetAsync(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture)))!;
    }

    private static async Task<(IHtmlDocument Details, IHtmlDocument Print)> PagesAsync(Browser browser, Invoice invoice) =>
        (await browser.GetPageAsync($"/Invoices/Details/{invoice.Id}"), await browser.GetPageAsync($"/Invoices/Print/{invoice.Id}"));

    [Fact]
    public async Task An_Italian_invoice_above_the_threshold_shows_the_two_euro_stamp_duty_with_its_annotation()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await DraftAsync(staff, "IT", ClientKind.Business, ("author-rights", "1000"));
        Assert.Equal(2m, invoice.Evaluation!.StampDuty!.Amount);
        var (details, print) = await PagesAsync(staff, invoice);

        var stamp = details.QuerySelector("#stamp-duty")!;
        Assert.Equal(2m, Number(stamp.GetAttribute("data-amount")));
        Assert.StartsWith("Imposta di bollo", stamp.QuerySelector("[data-field='annotation']")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(2m, Number(print.QuerySelector("#stamp-duty")!.GetAttribute("data-amount")));
        Assert.Contains(print.QuerySelectorAll("#mentions li"), li => li.TextContent.StartsWith("Imposta di bollo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Belgian_invoice_shows_the_author_rights_above_the_share_cap_and_a_consumers_penalty_cap()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        // 2,100 of fee on the invoice itself allows 900 of author rights at most: the rest of 3,000 is professional income.
        var invoice = await DraftAsync(staff, "BE", ClientKind.Individual, ("service", "2100"), ("author-rights", "3000"));
        var above = invoice.Evaluation!.AuthorRights!.AboveShareCap;
        Assert.True(above >= 2_100m, $"above the cap: {above}");
        var cap = invoice.Evaluation.LatePayment!.PenaltyCap!.Value;
        var (details, print) = await PagesAsync(staff, invoice);

        Assert.Equal(above, Number(details.QuerySelector("#author-rights-above-share-cap")!.GetAttribute("data-amount")));
        Assert.Equal(cap, Number(details.QuerySelector("#penalty-cap")!.GetAttribute("data-amount")));
        Assert.Equal(cap, Number(print.QuerySelector("#penalty-cap")!.GetAttribute("data-amount")));
        Assert.Null(details.QuerySelector("#stamp-duty"));
    }

    [Fact]
    public async Task A_business_service_invoice_shows_none_of_them()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await DraftAsync(staff, "BE", ClientKind.Business, ("service", "500"));
        var (details, print) = await PagesAsync(staff, invoice);
        foreach (var page in new[] { details, print })
            Assert.Empty(page.QuerySelectorAll("#stamp-duty, #penalty-cap, #author-rights-above-share-cap"));
    }

    [Fact]
    public async Task The_new_texts_read_in_French_and_Dutch()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await DraftAsync(staff, "IT", ClientKind.Business, ("author-rights", "1000"));
        foreach (var (culture, expected) in new[] { ("fr-BE", "Droit de timbre"), ("nl-BE", "Zegelrecht") })
        {
            staff.Client.DefaultRequestHeaders.AcceptLanguage.Clear();
            staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
            var (details, print) = await PagesAsync(staff, invoice);
            Assert.Contains(expected, details.Body!.TextContent, StringComparison.Ordinal);
            Assert.Contains(expected, print.Body!.TextContent, StringComparison.Ordinal);
        }
    }
}
