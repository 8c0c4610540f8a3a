using System.Globalization;
using System.Xml.Linq;

namespace Smart.Rules.EInvoicing;

/// <summary>
/// Peppol BIS Billing 3.0 (EN 16931 CIUS) in UBL 2.1: an Invoice, or a CreditNote that refers to its invoice. Shared by every
/// country without a national format; what differs by country comes in the document (the rule files' VAT codes, the plugin's
/// identities and payment reference), never from a country code here.
/// </summary>
public sealed class PeppolBisFormat : IEInvoiceFormat
{
    public static readonly PeppolBisFormat Instance = new();

    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace InvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    private static readonly XNamespace CreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    public const string CustomizationId = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
    public const string ProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

    // Compiled once: UBL's schemas are large (≈ 0.3 s to compile) and never change.
    private static readonly Lazy<XmlSchemaCheck> Schemas = new(() =>
        new XmlSchemaCheck(typeof(PeppolBisFormat).Assembly, "ubl-2.1/", "maindoc/UBL-Invoice-2.1.xsd", "maindoc/UBL-CreditNote-2.1.xsd"));

    public string Name => "ubl";

    public string FileName(EInvoiceDocument document) => document.Number + ".xml";

    // The Peppol mandates (Belgium since 2026) cover businesses and public bodies; a private person gets the PDF.
    public bool Applies(EInvoiceDocument document) => !(document.Buyer.Individual && document.Buyer.Endpoint is null);

    public IReadOnlyList<MissingDatum> Missing(EInvoiceDocument document)
    {
        var missing = new List<MissingDatum>();
        foreach (var (role, party) in new[] { ("seller", document.Seller), ("client", document.Buyer) })
        {
            if (party.Endpoint is null) missing.Add(new(role, "peppolId"));
            if (string.IsNullOrWhiteSpace(party.Address.Street)) missing.Add(new(role, "address.street"));
            if (string.IsNullOrWhiteSpace(party.Address.City)) missing.Add(new(role, "address.city"));
        }
        if (string.IsNullOrWhiteSpace(document.Seller.VatNumber) && document.Lines.Any(l => l.Vat.Category != "O")) missing.Add(new("seller", "vatNumber"));
        // Not subject to VAT (O) cannot share a document with another category (BR-O-11): those lines need an invoice of their own.
        if (document.Lines.Any(l => l.Vat.Category == "O") && document.Lines.Any(l => l.Vat.Category != "O")) missing.Add(new("document", "lines"));
        // Reverse charge and intra-Community supplies are only such with the client's VAT number on the document (BR-AE-02, BR-IC-02).
        if (string.IsNullOrWhiteSpace(document.Buyer.VatNumber) && document.Lines.Any(l => l.Vat.Category is "AE" or "K")) missing.Add(new("client", "vatNumber"));
        return missing;
    }

    public IReadOnlyList<string> SchemaProblems(XDocument document) => Schemas.Value.Problems(document);

    public XDocument Write(EInvoiceDocument d)
    {
        var credit = d.Kind == EInvoiceKind.CreditNote;
        XNamespace ns = credit ? CreditNoteNs : InvoiceNs;
        // Not subject to VAT (O) excludes every VAT identifier from the document (BR-O-02) and every other category (BR-O-11).
        var outOfScope = d.Lines.Any(l => l.Vat.Category == "O");
        var root = new XElement(ns + (credit ? "CreditNote" : "Invoice"),
            new XAttribute(XNamespace.Xmlns + "cac", Cac), new XAttribute(XNamespace.Xmlns + "cbc", Cbc),
            new XElement(Cbc + "CustomizationID", CustomizationId),
            new XElement(Cbc + "ProfileID", ProfileId),
            new XElement(Cbc + "ID", d.Number),
            new XElement(Cbc + "IssueDate", Date(d.IssueDate)),
            credit || d.DueDate is not { } due ? null : new XElement(Cbc + "DueDate", Date(due)),
            new XElement(Cbc + (credit ? "CreditNoteTypeCode" : "InvoiceTypeCode"), credit ? "381" : "380"),
            d.Notes.Count == 0 ? null : new XElement(Cbc + "Note", string.Join(" | ", d.Notes)),
            new XElement(Cbc + "DocumentCurrencyCode", d.Currency),
            // Peppol asks for a buyer reference or an order reference (PEPPOL-EN16931-R003): the client's, else our number.
            new XElement(Cbc + "BuyerReference", d.BuyerReference ?? d.Number),
            d.Preceding is { } preceding
                ? new XElement(Cac + "BillingReference", new XElement(Cac + "InvoiceDocumentReference",
                    new XElement(Cbc + "ID", preceding.Number), new XElement(Cbc + "IssueDate", Date(preceding.Date))))
                : null,
            d.Visual is { } visual
                ? new XElement(Cac + "AdditionalDocumentReference",
                    new XElement(Cbc + "ID", d.Number),
                    new XElement(Cbc + "DocumentDescription", credit ? "Credit note" : "Invoice"),
                    new XElement(Cac + "Attachment", new XElement(Cbc + "EmbeddedDocumentBinaryObject",
                        new XAttribute("mimeCode", visual.MediaType), new XAttribute("filename", visual.FileName), Convert.ToBase64String(visual.Content))))
                : null,
            new XElement(Cac + "AccountingSupplierParty", Party(d.Seller, outOfScope, seller: true)),
            new XElement(Cac + "AccountingCustomerParty", Party(d.Buyer, outOfScope, seller: false)),
            // An intra-Community supply states when and to which country the goods went (BR-IC-11, BR-IC-12): the invoice's date, the client's country.
            d.Lines.Any(l => l.Vat.Category == "K")
                ? new XElement(Cac + "Delivery",
                    new XElement(Cbc + "ActualDeliveryDate", Date(d.IssueDate)),
                    new XElement(Cac + "DeliveryLocation", new XElement(Cac + "Address",
                        new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", d.Buyer.Address.Country)))))
                : null,
            PaymentMeans(d),
            // A positive amount due needs a due date or payment terms (BR-CO-25); a credit note has no due date in UBL.
            d.DueDate is null || credit
                ? new XElement(Cac + "PaymentTerms", new XElement(Cbc + "Note", credit ? $"Credits invoice {d.Preceding?.Number}" : "Payable on receipt"))
                : null,
            new XElement(Cac + "TaxTotal",
                Amount("TaxAmount", d.Vat, d.Currency),
                d.VatGroups.Select(g => new XElement(Cac + "TaxSubtotal",
                    Amount("TaxableAmount", g.Base, d.Currency),
                    Amount("TaxAmount", g.Vat, d.Currency),
                    TaxCategory("TaxCategory", g.Code, g.Rate, withReason: true)))),
            new XElement(Cac + "LegalMonetaryTotal",
                Amount("LineExtensionAmount", d.Net, d.Currency),
                Amount("TaxExclusiveAmount", d.Net, d.Currency),
                Amount("TaxInclusiveAmount", d.Gross, d.Currency),
                Amount("PayableAmount", d.Gross, d.Currency)),
            d.Lines.Select(l => new XElement(Cac + (credit ? "CreditNoteLine" : "InvoiceLine"),
                new XElement(Cbc + "ID", (l.Index + 1).ToString(CultureInfo.InvariantCulture)),
                new XElement(Cbc + (credit ? "CreditedQuantity" : "InvoicedQuantity"), new XAttribute("unitCode", "C62"), Quantity(l.Quantity)),
                Amount("LineExtensionAmount", l.Net, d.Currency),
                new XElement(Cac + "Item",
                    new XElement(Cbc + "Name", Truncate(l.Description, 100)),
                    TaxCategory("ClassifiedTaxCategory", l.Vat, l.VatRate, withReason: false)),
                new XElement(Cac + "Price", Amount("PriceAmount", l.UnitPrice, d.Currency)))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    private static XElement Party(EInvoiceParty p, bool outOfScope, bool seller) => new(Cac + "Party",
        p.Endpoint is { } endpoint ? new XElement(Cbc + "EndpointID", new XAttribute("schemeID", endpoint.Scheme), endpoint.Id) : null,
        new XElement(Cac + "PartyName", new XElement(Cbc + "Name", p.Name)),
        new XElement(Cac + "PostalAddress",
            string.IsNullOrWhiteSpace(p.Address.Street) ? null : new XElement(Cbc + "StreetName", p.Address.Street),
            string.IsNullOrWhiteSpace(p.Address.City) ? null : new XElement(Cbc + "CityName", p.Address.City),
            string.IsNullOrWhiteSpace(p.Address.PostalCode) ? null : new XElement(Cbc + "PostalZone", p.Address.PostalCode),
            new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", p.Address.Country))),
        outOfScope || string.IsNullOrWhiteSpace(p.VatNumber)
            ? null
            : new XElement(Cac + "PartyTaxScheme", new XElement(Cbc + "CompanyID", p.VatNumber), new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "VAT"))),
        new XElement(Cac + "PartyLegalEntity",
            new XElement(Cbc + "RegistrationName", p.Name),
            string.IsNullOrWhiteSpace(p.CompanyNumber) ? null : LegalRegistration(p.CompanyNumber, p.Endpoint),
            seller && !string.IsNullOrWhiteSpace(p.LegalForm) ? new XElement(Cbc + "CompanyLegalForm", p.LegalForm) : null),
        p.Contact is { } contact
            ? new XElement(Cac + "Contact",
                contact.Name is null ? null : new XElement(Cbc + "Name", contact.Name),
                contact.Phone is null ? null : new XElement(Cbc + "Telephone", contact.Phone),
                contact.Email is null ? null : new XElement(Cbc + "ElectronicMail", contact.Email))
            : string.IsNullOrWhiteSpace(p.Email) ? null : new XElement(Cac + "Contact", new XElement(Cbc + "ElectronicMail", p.Email)));

    /// <summary>
    /// The legal registration number (BT-30/BT-47), naming its register when the party's endpoint is that same number in an ISO 6523
    /// scheme (0106 KvK, 0208 enterprise number, 0007 organisationsnummer: NL-R-003 wants it), then written as the scheme writes it.
    /// </summary>
    private static XElement LegalRegistration(string number, Smart.Rules.Plugins.ElectronicAddress? endpoint) =>
        endpoint is { } registered && registered.Scheme.StartsWith('0') && Digits(number).Length > 0 && Digits(registered.Id) == Digits(number)
            ? new XElement(Cbc + "CompanyID", new XAttribute("schemeID", registered.Scheme), registered.Id)
            : new XElement(Cbc + "CompanyID", number);

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    private static XElement? PaymentMeans(EInvoiceDocument d) => d.Iban is null && d.PaymentReference is null ? null : new XElement(Cac + "PaymentMeans",
        // 58: SEPA credit transfer, for euro accounts; 30: credit transfer, any other currency.
        new XElement(Cbc + "PaymentMeansCode", d.Currency == "EUR" && d.Iban is not null ? "58" : "30"),
        d.PaymentReference is { } reference ? new XElement(Cbc + "PaymentID", reference) : null,
        d.Iban is { } iban
            ? new XElement(Cac + "PayeeFinancialAccount",
                new XElement(Cbc + "ID", iban.Replace(" ", "", StringComparison.Ordinal)),
                d.Bic is { } bic ? new XElement(Cac + "FinancialInstitutionBranch", new XElement(Cbc + "ID", bic)) : null)
            : null);

    private static XElement TaxCategory(string name, VatCode code, decimal rate, bool withReason) => new(Cac + name,
        new XElement(Cbc + "ID", code.Category),
        // Not subject to VAT has no rate at all (BR-O-05, BR-O-10); every other category states one, 0 where nothing is due.
        code.Category == "O" ? null : new XElement(Cbc + "Percent", Quantity(rate * 100m)),
        withReason && code.ExemptionCode is { } exemption ? new XElement(Cbc + "TaxExemptionReasonCode", exemption) : null,
        withReason && code.ExemptionReason is { } reason ? new XElement(Cbc + "TaxExemptionReason", reason) : null,
        new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "VAT")));

    private static XElement Amount(string name, decimal amount, string currency) =>
        new(Cbc + name, new XAttribute("currencyID", currency), amount.ToString("0.00", CultureInfo.InvariantCulture));

    private static string Quantity(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
