using System.Globalization;
using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using UglyToad.PdfPig;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// The invoice form takes any number of lines (to a bound): "Add line" and "Remove" work without JavaScript too, and an invoice of eight lines
/// is stored, evaluated, issued and written to its e-invoice and PDF whole. Its live preview evaluates the values typed without saving them.
/// </summary>
public class InvoiceLineRowsTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    private async Task<ProductionUnit> UnitAsync(string country) =>
        (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<Client> BusinessClientAsync(string country) =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => c.VatNumber is not null);

    private static int Rows(IHtmlDocument page) => page.QuerySelectorAll("#line-rows tr[data-line-row]").Length;

    private static string Field(IHtmlDocument page, string name) => ((IHtmlInputElement)page.QuerySelector($"[name='{name}']")!).Value;

    private static async Task<IHtmlDocument> AddLineAsync(Browser browser, IHtmlDocument page)
    {
        var response = await browser.SubmitAsync(page.Forms["invoice-form"]!, ("line", "add"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Browser.DocumentAsync(response);
    }

    [Fact]
    public async Task An_invoice_of_eight_lines_added_without_script_is_stored_evaluated_issued_and_written_whole_to_its_UBL_and_PDF()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var client = await BusinessClientAsync("BE");
        var page = await staff.GetPageAsync($"/Invoices/Create?unit={(await UnitAsync("BE")).Id}");
        var start = Rows(page);
        while (Rows(page) < 8) page = await AddLineAsync(staff, page);
        Assert.Equal(8, Rows(page));
        Assert.True(start < 8, "the blank form starts with fewer rows than the test adds");

        var values = new List<(string, string)>
        {
            ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"), ("Data.DueDate", "2026-04-14"), ("Data.Issuer", "smartcoop"),
        };
        for (var i = 0; i < 8; i++)
            values.AddRange([($"Data.Lines[{i}].Description", $"Rehearsal day {i + 1}"), ($"Data.Lines[{i}].Category", "service"),
                ($"Data.Lines[{i}].Quantity", "1"), ($"Data.Lines[{i}].UnitPrice", (100 + i).ToString(CultureInfo.InvariantCulture))]);
        var saved = await staff.SubmitAsync(page.Forms["invoice-form"]!, [.. values]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = int.Parse(saved.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        var draft = (await Invoices.GetAsync(id))!;
        Assert.Equal(8, draft.Lines.Count);
        Assert.Equal(8, draft.Evaluation!.Lines.Count);
        Assert.Equal(8 * 100m + 28m, draft.Evaluation.Totals.Net);

        var issue = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, issue.StatusCode);
        Assert.Equal(InvoiceStatus.Issued, (await Invoices.GetAsync(id))!.Status);
        var details = await staff.GetPageAsync($"/Invoices/Details/{id}");
        Assert.Equal(8, details.QuerySelectorAll("#lines tr[data-line]").Length);
        var xml = XDocument.Parse(await staff.Client.GetStringAsync(details.QuerySelector("#download-einvoice")!.GetAttribute("href")));
        Assert.Equal(8, xml.Descendants(Cac + "InvoiceLine").Count());
        using var pdf = PdfDocument.Open(await staff.Client.GetByteArrayAsync(details.QuerySelector("#download-pdf")!.GetAttribute("href")));
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        for (var i = 1; i <= 8; i++) Assert.Contains($"Rehearsalday{i}", text);
    }

    [Fact]
    public async Task Remove_without_script_drops_the_row_and_renumbers_the_rows_after_it()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/Invoices/Create?unit={(await UnitAsync("BE")).Id}");
        var rows = Rows(page);
        var response = await staff.SubmitAsync(page.Forms["invoice-form"]!, ("Data.Lines[0].Description", "First"), ("Data.Lines[1].Description", "Second"),
            ("Data.Lines[2].Description", "Third"), ("line", "remove-1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await Browser.DocumentAsync(response);
        Assert.Equal(rows - 1, Rows(after));
        Assert.Equal(("First", "Third", ""), (Field(after, "Data.Lines[0].Description"), Field(after, "Data.Lines[1].Description"), Field(after, "Data.Lines[2].Description")));
    }

    [Fact]
    public async Task More_lines_than_the_bound_are_refused_on_the_lines_and_nothing_is_stored()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync("BE");
        var client = await BusinessClientAsync("BE");
        var page = await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}");
        var token = ((IHtmlInputElement)page.QuerySelector("#invoice-form [name='__RequestVerificationToken']")!).Value;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", token), new("Data.ProductionUnitId", unit.Id.ToString(CultureInfo.InvariantCulture)),
            new("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), new("Data.Issuer", "smartcoop"), new("Data.Date", "2026-03-15"), new("Data.ServiceLevel", "standard"),
        };
        for (var i = 0; i <= Smart.Web.Pages.Invoices.InvoiceFields.MaxLines; i++)
            fields.AddRange([new($"Data.Lines[{i}].Description", $"Line {i}"), new($"Data.Lines[{i}].Category", "service"), new($"Data.Lines[{i}].UnitPrice", "1")]);
        var before = (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total;

        var response = await staff.Client.PostAsync($"/Invoices/Create?unit={unit.Id}", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refused = await Browser.DocumentAsync(response);
        Assert.Contains("200", refused.QuerySelector("[data-valmsg-for='Data.Lines']")!.TextContent);
        Assert.Equal(before, (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total);
    }

    /// <summary>Posts the form as invoice-preview.js does, to the page's Preview handler.</summary>
    private static async Task<HttpResponseMessage> PreviewAsync(Browser browser, IHtmlDocument page, string url, params (string, string)[] values)
    {
        var form = page.Forms["invoice-form"]!;
        form.Action = url;
        return await browser.SubmitAsync(form, values);
    }

    [Fact]
    public async Task The_preview_answers_the_rules_figures_for_the_values_posted_and_stores_nothing()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync("BE");
        var client = await BusinessClientAsync("BE");
        var page = await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}");
        Assert.NotNull(page.QuerySelector("#invoice-preview[data-url]"));
        var before = (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total;

        var response = await PreviewAsync(staff, page, "/Invoices/Create?handler=Preview", ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)),
            ("Data.Issuer", "smartcoop"), ("Data.Date", "2026-03-15"), ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"),
            ("Data.Lines[0].Quantity", "2"), ("Data.Lines[0].UnitPrice", "450"), ("Data.Lines[1].Description", "Rights"), ("Data.Lines[1].Category", "author-rights"),
            ("Data.Lines[1].Quantity", "1"), ("Data.Lines[1].UnitPrice", "1000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await Browser.DocumentAsync(response);
        var totals = preview.QuerySelector("#preview-totals")!;
        decimal Figure(string name) => decimal.Parse(totals.GetAttribute(name)!, CultureInfo.InvariantCulture);
        Assert.Equal(1900m, Figure("data-net"));
        // The service line at Belgium's 21 %, among the rates shown; the VAT total is the sum of the rates' rows.
        var rates = preview.QuerySelectorAll("[data-vat-rate]").Select(r => (Rate: decimal.Parse(r.GetAttribute("data-vat-rate")!, CultureInfo.InvariantCulture),
            Vat: decimal.Parse(r.GetAttribute("data-vat")!, CultureInfo.InvariantCulture))).ToList();
        Assert.Contains((0.21m, 189m), rates.Select(r => (r.Rate, r.Vat)));
        Assert.Equal(rates.Sum(r => r.Vat), Figure("data-vat"));
        Assert.Equal(Figure("data-net") + Figure("data-vat"), Figure("data-gross"));
        Assert.True(Figure("data-contribution") > 0m);
        Assert.Equal("1000", preview.QuerySelector("#preview-author-rights")!.GetAttribute("data-amount"));
        Assert.Equal(before, (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total);
    }

    [Fact]
    public async Task The_preview_shows_the_named_field_errors_of_bad_values_instead_of_figures()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync($"/Invoices/Create?unit={(await UnitAsync("BE")).Id}");

        var response = await PreviewAsync(staff, page, "/Invoices/Create?handler=Preview", ("Data.ClientId", ""), ("Data.Date", "2026-03-15"),
            ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].Quantity", "abc"), ("Data.Lines[0].UnitPrice", "450"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await Browser.DocumentAsync(response);
        Assert.Null(preview.QuerySelector("#preview-totals"));
        Assert.NotNull(preview.QuerySelector("#preview-errors li[data-field='Lines[0].Quantity']"));
        Assert.Contains("Line 1", preview.QuerySelector("#preview-errors li[data-field='Lines[0].Quantity']")!.TextContent);
        Assert.NotNull(preview.QuerySelector("#preview-errors li[data-field='ClientId']"));
    }

    [Fact]
    public async Task The_preview_refuses_a_partner_another_countrys_unit()
    {
        var belgian = await UnitAsync("BE");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var page = await partner.GetPageAsync($"/Invoices/Create?unit={(await UnitAsync("FR")).Id}");

        var response = await PreviewAsync(partner, page, "/Invoices/Create?handler=Preview", ("Data.ProductionUnitId", belgian.Id.ToString(CultureInfo.InvariantCulture)),
            ("Data.ClientId", (await BusinessClientAsync("FR")).Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"),
            ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].UnitPrice", "450"));

        // Refused as the save refuses it: a unit the partner may not see does not exist for them.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
