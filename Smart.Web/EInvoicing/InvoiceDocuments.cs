using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Smart.Rules.EInvoicing;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Localization;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.EInvoicing;

/// <summary>Made when an e-invoice fails its format's XSD: a bug in a writer or a rule file, never sent; the issue is rolled back.</summary>
public sealed class EInvoiceSchemaException(string message) : Exception(message);

/// <summary>
/// An invoice as its e-invoice and PDF: the data its country's format needs (from the stored invoice, its evaluation, the client
/// and the plugin's issuer), what is missing, and the files made at issuing. The format is the plugin's own or the shared Peppol
/// BIS 3.0 UBL; nothing here depends on a country.
/// </summary>
public sealed partial class InvoiceDocuments(PluginCatalog plugins, IStringLocalizerFactory localizers)
{
    /// <summary>Why a document mixing lines not subject to VAT (O) with other categories is refused (EN 16931 BR-O-11); a key of the page's texts.</summary>
    public const string MixedWithOutOfScope = "Lines not subject to VAT cannot share an e-invoice with lines of another VAT category (EN 16931 BR-O-11): put them on an invoice of their own.";

    public IEInvoiceFormat FormatOf(string country) => plugins.Find(country)?.Plugin.EInvoiceFormat ?? PeppolBisFormat.Instance;

    /// <summary>The formats a country's invoices may be written in: its own first, and the shared Peppol BIS 3.0 UBL.</summary>
    public IReadOnlyList<IEInvoiceFormat> FormatsOf(string country) =>
        FormatOf(country) is var own && own == PeppolBisFormat.Instance ? [own] : [own, PeppolBisFormat.Instance];

    /// <summary>The document of an invoice or credit note (<paramref name="original"/> is a credit note's invoice) under <paramref name="number"/>.</summary>
    public EInvoiceDocument Document(Invoice invoice, InvoiceEvaluation evaluation, Client client, Invoice? original, string number)
    {
        var plugin = plugins.Find(invoice.Country) ?? throw new InvalidOperationException($"No plugin for {invoice.Country}.");
        var manifest = plugin.Manifest;
        var issuer = manifest.Issuers.FirstOrDefault(i => i.Id == invoice.Issuer) ?? manifest.DefaultIssuer;
        var seller = PrintModel.SellerOf(manifest, issuer.Id);
        // A credit note stores its amounts negated; the document shows them positive and says it credits.
        var sign = invoice.IsCreditNote ? -1m : 1m;
        var lines = new List<EInvoiceLine>(evaluation.Lines.Count);
        for (var i = 0; i < evaluation.Lines.Count && i < invoice.Lines.Count; i++)
        {
            var line = evaluation.Lines[i];
            var item = invoice.Lines[i];
            lines.Add(new EInvoiceLine(i, item.Description, sign * item.Quantity, item.UnitPrice, sign * line.Net, line.VatRate,
                CodeOf(line.VatTreatment, line.VatCategory, line.VatExemptionCode, line.VatExemptionReason ?? line.Mention, line.Natura)));
        }
        var reference = !invoice.IsCreditNote && PrintModel.ReferenceBase(number) is { } referenceBase ? plugin.Plugin.PaymentReference(referenceBase) : null;
        return new EInvoiceDocument
        {
            Kind = invoice.IsCreditNote ? EInvoiceKind.CreditNote : EInvoiceKind.Invoice,
            Number = number,
            IssueDate = invoice.Date,
            DueDate = invoice.DueDate,
            Currency = evaluation.Currency,
            Seller = new EInvoiceParty
            {
                Name = seller.Name, LegalForm = seller.LegalForm, VatNumber = seller.VatNumber, CompanyNumber = seller.CompanyNumber,
                Address = issuer.PostalAddress ?? new PostalAddress(seller.Address, null, null, manifest.Country),
                Endpoint = issuer.PeppolEndpoint, Contact = issuer.Contact,
            },
            Buyer = Buyer(client),
            Lines = lines,
            VatGroups = evaluation.VatBreakdown.Select(g => new EInvoiceVatGroup(
                CodeOf(g.Treatment, g.VatCategory, g.VatExemptionCode, g.VatExemptionReason ?? g.Mention, g.Natura), g.Rate, sign * g.Base, sign * g.Vat)).ToList(),
            Net = sign * evaluation.Totals.Net,
            Vat = sign * evaluation.Totals.Vat,
            Gross = sign * evaluation.Totals.Gross,
            Notes = evaluation.Mentions,
            PaymentReference = reference,
            Iban = issuer.Iban,
            Bic = issuer.Bic,
            StampDuty = evaluation.StampDuty is { Amount: > 0m } duty ? duty.Amount : null,
            Preceding = original?.Number is { } originalNumber ? new PrecedingInvoice(originalNumber, original.Date) : null,
        };
    }

    /// <summary>What the country's format needs and the invoice lacks, as sentences naming the field to fill in; empty when it can be issued.</summary>
    public IReadOnlyList<string> Missing(Invoice invoice, InvoiceEvaluation evaluation, Client client, Invoice? original)
    {
        var document = Document(invoice, evaluation, client, original, invoice.Number ?? $"{invoice.Country}-{invoice.Date.Year}-000000");
        var format = FormatOf(invoice.Country);
        if (!format.Applies(document)) return [];
        var texts = PageResources.For(typeof(DetailsModel), localizers);
        return format.Missing(document).Select(m => texts[m.Party switch
        {
            "client" => "The client's {0} is missing: the e-invoice needs it (edit the client).",
            "seller" => "The issuing entity's {0} is missing: the e-invoice needs it (set it in the configuration, Smart:Issuers).",
            "document" => MixedWithOutOfScope,
            _ => "The VAT rules give no {0} for a line: the e-invoice needs it.",
        }, texts["field:" + m.Field].Value].Value).ToList();
    }

    /// <summary>
    /// The files of an issued invoice: its PDF, and its e-invoice with the PDF embedded, checked against the XSD of its country's
    /// format, or of <paramref name="format"/> when the render API asks for another one the country may use.
    /// </summary>
    public InvoiceFiles Files(Invoice issued, Client client, Invoice? original, IEInvoiceFormat? format = null)
    {
        var evaluation = issued.Evaluation ?? throw new InvalidOperationException($"Invoice {issued.Id} has no evaluation.");
        var document = Document(issued, evaluation, client, original, issued.Number!);
        var manifest = plugins.Find(issued.Country)!.Manifest;
        var demo = (manifest.Issuers.FirstOrDefault(i => i.Id == issued.Issuer) ?? manifest.DefaultIssuer).Demo;
        var printTexts = PageResources.For(typeof(PrintModel), localizers);
        var pdf = InvoicePdf.Render(document, text => printTexts[text].Value, CultureInfo.CurrentCulture, demo);
        var pdfName = issued.Number + ".pdf";
        format ??= FormatOf(issued.Country);
        if (!format.Applies(document)) return new InvoiceFiles(issued.Id, null, null, null, pdfName, pdf);
        var xml = Write(format, document with { Visual = new EInvoiceAttachment(pdfName, "application/pdf", pdf) });
        return new InvoiceFiles(issued.Id, format.Name, format.FileName(document), xml, pdfName, pdf);
    }

    /// <summary>The document as UTF-8 XML text, after its XSD check.</summary>
    public static string Write(IEInvoiceFormat format, EInvoiceDocument document)
    {
        var xml = format.Write(document);
        if (format.SchemaProblems(xml) is { Count: > 0 } problems)
            throw new EInvoiceSchemaException($"{format.Name} {document.Number}: {string.Join(" ", problems.Take(5))}");
        using var writer = new Utf8StringWriter();
        xml.Save(writer, SaveOptions.DisableFormatting);
        return writer.ToString();
    }

    private EInvoiceParty Buyer(Client client)
    {
        var (postalCode, city) = (client.PostalCode, client.City);
        // Clients entered before the postal code had its own field often hold it in the city ("1060 Saint-Gilles").
        if (string.IsNullOrWhiteSpace(postalCode) && city is not null && PostalCodeFirst().Match(city) is { Success: true } match)
            (postalCode, city) = (match.Groups["code"].Value, match.Groups["city"].Value);
        var individual = client.Kind == ClientKind.Individual;
        var endpoint = client.PeppolScheme is { Length: > 0 } scheme && client.PeppolId is { Length: > 0 } id
            ? new ElectronicAddress(scheme, id)
            // The client's own country's scheme derives it (a French client of a Belgian invoice is reached by its SIREN).
            : individual ? null : plugins.Find(client.Country)?.Plugin.PeppolParticipant(client.CompanyNumber, client.VatNumber);
        return new EInvoiceParty
        {
            Name = client.Name, LegalForm = client.LegalForm, VatNumber = client.VatNumber, CompanyNumber = client.CompanyNumber,
            Address = new PostalAddress(client.Address, city, postalCode, client.Country), Endpoint = endpoint, Email = client.Email,
            Individual = individual, CodiceDestinatario = client.CodiceDestinatario, Pec = client.Pec,
        };
    }

    /// <summary>
    /// The rule's codes; an evaluation made without them (stored before the rules gave codes) falls back on its treatment: standard and
    /// reduced S, reverse charge AE, anything else E with the mention as the reason. Not O: a rule's "out of scope" may be a disbursement
    /// beside taxed lines, and O excludes every other category from the document (BR-O-11); only the rule can say which it is.
    /// </summary>
    private static VatCode CodeOf(string treatment, string? category, string? exemption, string? reason, string? natura) =>
        category is not null
            ? new VatCode(category, exemption, category is "S" or "Z" ? null : reason, natura)
            : treatment switch
            {
                "standard" or "reduced" => new VatCode("S"),
                "reverse-charge" => new VatCode("AE", "VATEX-EU-AE", reason, natura),
                _ => new VatCode("E", null, reason ?? "Exempt", natura),
            };

    [GeneratedRegex(@"^(?<code>[0-9][0-9 ]{2,8}[0-9])\s+(?<city>\D.*)$")]
    private static partial Regex PostalCodeFirst();

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }
        public override Encoding Encoding => Encoding.UTF8;
    }
}
