using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 4's browser journey: a Belgian training invoice from the training body shows its exemption; an invoice with an
/// author-rights line explains its 6 % with the rule and its source, is issued and printed with its number and payment reference.
/// </summary>
public sealed class InvoiceJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string Staff = "staff@smart.coop";

    [Fact]
    public Task Staff_invoices_training_from_the_training_body_and_sees_the_exemption_mention() =>
        intranet.InNewBrowserAsync(nameof(Staff_invoices_training_from_the_training_body_and_sees_the_exemption_mention), async page =>
        {
            await LiveIntranet.SignInAsync(page, Staff);
            await OpenNewBelgianInvoiceAsync(page);

            await Expect(page.Locator("#training-body-proposal")).ToContainTextAsync("Formateurs Associés");
            await page.SelectOptionAsync("[name='Data.Issuer']", "formateurs-associes");
            await FillLineAsync(page, 0, "Workshop on stage lighting", "training", "2", "450");
            await SaveAsync(page);

            await Expect(page.Locator("[data-field=issuer]")).ToHaveAttributeAsync("data-issuer", "formateurs-associes");
            await Expect(page.Locator("#lines tr[data-line='0']")).ToHaveAttributeAsync("data-treatment", "exempt");
            await Expect(page.Locator("#lines tr[data-line='0'] [data-field=mention]")).ToContainTextAsync("article 44, § 2, 4°");
            await Expect(page.Locator("#mentions")).ToContainTextAsync("article 44, § 2, 4°");
        });

    [Fact]
    public Task Staff_sees_the_author_rights_rate_explained_issues_the_invoice_and_prints_it() =>
        intranet.InNewBrowserAsync(nameof(Staff_sees_the_author_rights_rate_explained_issues_the_invoice_and_prints_it), async page =>
        {
            await LiveIntranet.SignInAsync(page, Staff);
            await OpenNewBelgianInvoiceAsync(page);
            await page.SelectOptionAsync("[name='Data.Issuer']", "smartcoop");
            await FillLineAsync(page, 0, "Poster design", "service", "2", "450");
            await FillLineAsync(page, 1, "Illustration rights", "author-rights", "1", "1000");
            await SaveAsync(page);

            var rights = page.Locator("#lines tr[data-line='1']");
            await Expect(rights).ToHaveAttributeAsync("data-rate", "0.06");
            await Expect(rights.Locator("[data-field=rate]")).ToHaveTextAsync(new Regex(@"^\s*6\s%\s*$"));
            var detailsUrl = page.Url;

            // Why 6 %? The rule, its rule set and the legal source of the rate.
            await rights.Locator("a[data-explain]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Explain/\d+\?line=1$"));
            var step = page.Locator(".explain-step[data-rule='author-rights-concession-reduced-rate']");
            await Expect(step).ToBeVisibleAsync();
            await Expect(step).ToHaveAttributeAsync("data-ruleset", "be/vat");
            await Expect(step).ToContainTextAsync("AR n°20");

            // Issued: numbered from the Belgian sequence of the year, no longer editable.
            await page.GotoAsync(detailsUrl);
            // Issuing asks first: the button opens a dialog, whose own button issues.
            await page.ClickAsync("#issue");
            await Expect(page.Locator("#issue-dialog")).ToBeVisibleAsync();
            await page.ClickAsync("#issue-form button[type=submit]");
            await Expect(page.Locator("#flash")).ToBeVisibleAsync();
            var number = page.Locator("[data-field=number]");
            await Expect(number).ToHaveTextAsync(new Regex(@"^\s*BE-\d{4}-\d{6}\s*$"));
            await Expect(page.Locator("#issue-form")).ToHaveCountAsync(0);
            var issuedNumber = (await number.InnerTextAsync()).Trim();

            // The printable invoice: its number, the seller's identity and a Belgian structured communication.
            await page.ClickAsync("#print");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Print/\d+$"));
            await Expect(page.Locator("#invoice-title")).ToContainTextAsync(issuedNumber);
            await Expect(page.Locator("#seller")).ToContainTextAsync("Smart");
            await Expect(page.Locator("#payment-reference")).ToHaveTextAsync(new Regex(@"^\s*\+\+\+\d{3}/\d{4}/\d{5}\+\+\+\s*$"));
            await Expect(page.Locator("#draft-mark")).ToHaveCountAsync(0);
            await Expect(page.Locator("#main-nav")).ToHaveCountAsync(0);
        });

    [Fact]
    public Task Staff_issues_a_Belgian_invoice_and_downloads_its_Peppol_e_invoice_and_PDF() =>
        intranet.InNewBrowserAsync(nameof(Staff_issues_a_Belgian_invoice_and_downloads_its_Peppol_e_invoice_and_PDF), async page =>
        {
            await LiveIntranet.SignInAsync(page, Staff);
            await OpenNewBelgianInvoiceAsync(page);
            await page.SelectOptionAsync("[name='Data.Issuer']", "smartcoop");
            await FillLineAsync(page, 0, "Set design", "service", "2", "450");
            await SaveAsync(page);
            await page.ClickAsync("#issue");
            await page.ClickAsync("#issue-form button[type=submit]");
            await Expect(page.Locator("[data-field=number]")).ToHaveTextAsync(new Regex(@"^\s*BE-\d{4}-\d{6}\s*$"));
            var number = (await page.Locator("[data-field=number]").InnerTextAsync()).Trim();

            var xmlDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-einvoice"));
            Assert.Equal(number + ".xml", xmlDownload.SuggestedFilename);
            var xmlFile = Path.Combine(Directory.CreateTempSubdirectory("smart-browser-einvoice-").FullName, xmlDownload.SuggestedFilename);
            await xmlDownload.SaveAsAsync(xmlFile);
            var xml = System.Xml.Linq.XDocument.Load(xmlFile);
            System.Xml.Linq.XNamespace cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
            Assert.Equal("Invoice", xml.Root!.Name.LocalName);
            Assert.Equal(number, xml.Root.Element(cbc + "ID")!.Value);

            var pdfDownload = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-pdf"));
            Assert.Equal(number + ".pdf", pdfDownload.SuggestedFilename);
            var pdf = await File.ReadAllBytesAsync((await pdfDownload.PathAsync())!);
            // The PDF downloaded is the one the e-invoice carries as its visual representation (BT-125).
            Assert.Equal(pdf, Convert.FromBase64String(xml.Descendants(cbc + "EmbeddedDocumentBinaryObject").Single().Value));
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));

            // And the official checks (UBL XSD, EN 16931 and Peppol BIS 3.0 schematrons) find nothing wrong with what was downloaded.
            var failures = await Smart.Web.Tests.EInvoicing.ValidationKit.FailuresAsync([xmlFile]);
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        });

    /// <summary>From the menu to the invoice form of the first active Belgian production unit.</summary>
    private static async Task OpenNewBelgianInvoiceAsync(IPage page)
    {
        await page.ClickAsync("a[data-nav='/Invoices/Index']");
        await Expect(page.Locator("#invoices")).ToBeVisibleAsync();
        await page.ClickAsync("#create-invoice");
        var belgian = page.Locator("#unit option", new PageLocatorOptions { HasTextRegex = new Regex("^BE ") }).First;
        await page.SelectOptionAsync("#unit", (await belgian.GetAttributeAsync("value"))!);
        await page.ClickAsync("#choose-unit button[type=submit]");
        await Expect(page.Locator("#invoice-form")).ToBeVisibleAsync();

        var business = page.Locator("[name='Data.ClientId'] option", new PageLocatorOptions { HasTextString = "(business)" }).First;
        await page.SelectOptionAsync("[name='Data.ClientId']", (await business.GetAttributeAsync("value"))!);
        await page.FillAsync("[name='Data.Date']", "2026-03-15");
        await page.FillAsync("[name='Data.DueDate']", "2026-04-14");
    }

    private static async Task FillLineAsync(IPage page, int line, string description, string category, string quantity, string unitPrice)
    {
        await page.FillAsync($"[name='Data.Lines[{line}].Description']", description);
        await page.SelectOptionAsync($"[name='Data.Lines[{line}].Category']", category);
        await page.FillAsync($"[name='Data.Lines[{line}].Quantity']", quantity);
        await page.FillAsync($"[name='Data.Lines[{line}].UnitPrice']", unitPrice);
    }

    private static async Task SaveAsync(IPage page)
    {
        await page.ClickAsync("#save-draft");
        await Expect(page).ToHaveURLAsync(new Regex(@"/Invoices/Details/\d+$"));
        await Expect(page.Locator("#lines")).ToBeVisibleAsync();
    }

}
