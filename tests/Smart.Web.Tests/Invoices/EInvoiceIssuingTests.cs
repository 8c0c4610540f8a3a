using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.EInvoicing;
using Smart.Web.Storage;
using UglyToad.PdfPig;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>Issuing makes the invoice's e-invoice and PDF, stores them with it and offers them for download; missing data refuses the issue.</summary>
public class EInvoiceIssuingTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    private async Task<ProductionUnit> UnitAsync(string country) =>
        (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<Client> BusinessClientAsync(string country) =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => c.VatNumber is not null);


    private static async Task<string> IssueAsync(Browser browser, int id)
    {
        var response = await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (await browser.FollowAsync(response)).QuerySelector("#flash")?.TextContent ?? "";
    }

    [Fact]
    public async Task An_issued_Belgian_invoice_has_a_stored_Peppol_UBL_with_its_PDF_both_downloadable()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var client = await BusinessClientAsync("BE");
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), client, "smartcoop", ("Set design", "service", "2", "450"), ("Illustration rights", "author-rights", "1", "1000"));
        await IssueAsync(staff, id);
        var invoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);

        var details = await staff.GetPageAsync($"/Invoices/Details/{id}");
        var xmlResponse = await staff.Client.GetAsync(details.QuerySelector("#download-einvoice")!.GetAttribute("href"));
        Assert.Equal("application/xml", xmlResponse.Content.Headers.ContentType!.MediaType);
        var xml = XDocument.Parse(await xmlResponse.Content.ReadAsStringAsync());
        Assert.Empty(PeppolBisFormat.Instance.SchemaProblems(xml));
        Assert.Equal(invoice.Number, xml.Root!.Element(Cbc + "ID")!.Value);
        var endpoints = xml.Descendants(Cbc + "EndpointID").ToList();
        Assert.Equal(["0208", "0208"], endpoints.Select(e => e.Attribute("schemeID")!.Value));
        Assert.Equal(new string(client.VatNumber!.Where(char.IsAsciiDigit).ToArray()), endpoints[1].Value);
        // The structured communication is the remittance information the client pays with.
        Assert.Matches(@"^\+\+\+\d{3}/\d{4}/\d{5}\+\+\+$", xml.Descendants(Cbc + "PaymentID").Single().Value);
        Assert.Equal(invoice.Evaluation!.Totals.Gross.ToString("0.00", CultureInfo.InvariantCulture), xml.Descendants(Cbc + "PayableAmount").Single().Value);
        var embedded = Convert.FromBase64String(xml.Descendants(Cbc + "EmbeddedDocumentBinaryObject").Single().Value);

        var pdfResponse = await staff.Client.GetAsync(details.QuerySelector("#download-pdf")!.GetAttribute("href"));
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType!.MediaType);
        var pdf = await pdfResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(pdf, embedded);
        using var read = PdfDocument.Open(pdf);
        var text = string.Concat(read.GetPages().Select(p => p.Text));
        Assert.Contains(invoice.Number!, text);
        Assert.Contains(client.Name.Replace(" ", "", StringComparison.Ordinal), text.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_business_client_without_a_Peppol_identifier_is_refused_on_issuing_naming_the_field()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var clients = app.Services.GetRequiredService<IClientStore>();
        var client = await clients.AddAsync(new Client { Country = "BE", Kind = ClientKind.Business, Name = "Sans Peppol SRL", Address = "Rue Haute 1", City = "Bruxelles" },
            new AuditActor("test"));
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), client, "smartcoop", ("Set design", "service", "1", "100"));

        var message = await IssueAsync(staff, id);

        Assert.Contains("Peppol identifier", message);
        Assert.Equal(InvoiceStatus.Draft, (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task A_credit_note_has_its_own_UBL_credit_note_referring_to_its_invoice()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = await InvoiceForms.CreateDraftAsync(staff, await UnitAsync("BE"), await BusinessClientAsync("BE"), "smartcoop", ("Set design", "service", "1", "800"));
        await IssueAsync(staff, id);
        var store = app.Services.GetRequiredService<IInvoiceStore>();
        var invoice = (await store.GetAsync(id))!;
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["credit-form"]!)).StatusCode);
        var note = (await store.GetAsync((await store.GetAsync(id))!.CreditedById!.Value))!;

        var files = (await store.FilesAsync(note.Id))!;

        var xml = XDocument.Parse(files.Xml!);
        Assert.Equal("CreditNote", xml.Root!.Name.LocalName);
        Assert.Empty(PeppolBisFormat.Instance.SchemaProblems(xml));
        Assert.Equal(invoice.Number, xml.Descendants(Cbc + "ID").First(e => e.Parent!.Name.LocalName == "InvoiceDocumentReference").Value);
        Assert.Equal("968.00", xml.Descendants(Cbc + "PayableAmount").Single().Value);
    }
}
