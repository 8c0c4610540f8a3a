using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Smart.Rules.EInvoicing;

namespace Smart.Plugins.Italy;

/// <summary>
/// FatturaPA 1.2.2 between private parties (FPR12): TD01 invoice, TD04 credit note, for the SdI. Every invoice goes through the
/// SdI in Italy, to businesses and people alike: a client is reached by its codice destinatario, its PEC, or "0000000" (its
/// tax drawer) when it has neither; a foreign client by "XXXXXXX".
/// </summary>
public sealed class FatturaPaFormat : IEInvoiceFormat
{
    private static readonly XNamespace Ns = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

    private static readonly Lazy<XmlSchemaCheck> Schemas = new(() =>
        new XmlSchemaCheck(typeof(FatturaPaFormat).Assembly, "fatturapa/", "xmldsig-core.xsd", "FatturaPA_v1.2.2.xsd"));

    public string Name => "fatturapa";

    /// <summary>The SdI's naming: the sender's country and VAT number, then the transmission's number.</summary>
    public string FileName(EInvoiceDocument document) =>
        $"IT{Digits(document.Seller.VatNumber)}_{Progressive(document)}.xml";

    public bool Applies(EInvoiceDocument document) => true;

    public IReadOnlyList<MissingDatum> Missing(EInvoiceDocument d)
    {
        var missing = new List<MissingDatum>();
        if (string.IsNullOrWhiteSpace(d.Seller.VatNumber)) missing.Add(new("seller", "vatNumber"));
        foreach (var (role, party) in new[] { ("seller", d.Seller), ("client", d.Buyer) })
        {
            if (string.IsNullOrWhiteSpace(party.Address.Street)) missing.Add(new(role, "address.street"));
            if (string.IsNullOrWhiteSpace(party.Address.City)) missing.Add(new(role, "address.city"));
            // An Italian address needs its CAP; abroad the SdI takes 00000.
            if (party.Address.Country == "IT" && Digits(party.Address.PostalCode).Length != 5) missing.Add(new(role, "address.postalCode"));
        }
        var domestic = d.Buyer.Address.Country == "IT";
        // A business is reached at its code or its PEC; a person without either gets the invoice in their tax drawer (0000000).
        if (domestic && !d.Buyer.Individual && string.IsNullOrWhiteSpace(d.Buyer.CodiceDestinatario) && string.IsNullOrWhiteSpace(d.Buyer.Pec))
            missing.Add(new("client", "codiceDestinatario"));
        if (domestic && string.IsNullOrWhiteSpace(d.Buyer.VatNumber) && string.IsNullOrWhiteSpace(d.Buyer.CompanyNumber))
            missing.Add(new("client", "vatNumber"));
        if (d.Lines.Any(l => l.VatRate == 0m && l.Vat.Natura is null)) missing.Add(new("rules", "natura"));
        return missing;
    }

    public IReadOnlyList<string> SchemaProblems(XDocument document) => Schemas.Value.Problems(document);

    public XDocument Write(EInvoiceDocument d)
    {
        var credit = d.Kind == EInvoiceKind.CreditNote;
        var domestic = d.Buyer.Address.Country == "IT";
        var code = !domestic ? "XXXXXXX" : string.IsNullOrWhiteSpace(d.Buyer.CodiceDestinatario) ? "0000000" : d.Buyer.CodiceDestinatario.Trim().ToUpperInvariant();
        var root = new XElement(Ns + "FatturaElettronica", new XAttribute(XNamespace.Xmlns + "p", Ns), new XAttribute("versione", "FPR12"),
            new XElement("FatturaElettronicaHeader",
                new XElement("DatiTrasmissione",
                    new XElement("IdTrasmittente", new XElement("IdPaese", "IT"), new XElement("IdCodice", Digits(d.Seller.VatNumber))),
                    new XElement("ProgressivoInvio", Progressive(d)),
                    new XElement("FormatoTrasmissione", "FPR12"),
                    new XElement("CodiceDestinatario", code),
                    code == "0000000" && !string.IsNullOrWhiteSpace(d.Buyer.Pec) ? new XElement("PECDestinatario", d.Buyer.Pec.Trim()) : null),
                new XElement("CedentePrestatore",
                    new XElement("DatiAnagrafici",
                        new XElement("IdFiscaleIVA", new XElement("IdPaese", "IT"), new XElement("IdCodice", Digits(d.Seller.VatNumber))),
                        new XElement("Anagrafica", new XElement("Denominazione", Latin(d.Seller.Name, 80))),
                        // RF01: the ordinary VAT regime, the cooperative's.
                        new XElement("RegimeFiscale", "RF01")),
                    Sede(d.Seller.Address)),
                new XElement("CessionarioCommittente",
                    new XElement("DatiAnagrafici", BuyerIdentity(d.Buyer), new XElement("Anagrafica", new XElement("Denominazione", Latin(d.Buyer.Name, 80)))),
                    Sede(d.Buyer.Address))),
            new XElement("FatturaElettronicaBody",
                new XElement("DatiGenerali",
                    new XElement("DatiGeneraliDocumento",
                        new XElement("TipoDocumento", credit ? "TD04" : "TD01"),
                        new XElement("Divisa", d.Currency),
                        new XElement("Data", Date(d.IssueDate)),
                        new XElement("Numero", Latin(d.Number, 20)),
                        // The €2 duty on amounts without VAT is paid "virtually" by the issuer and declared here (DM 17 June 2014 art. 6).
                        d.StampDuty is { } duty
                            ? new XElement("DatiBollo", new XElement("BolloVirtuale", "SI"), new XElement("ImportoBollo", Amount(duty)))
                            : null,
                        new XElement("ImportoTotaleDocumento", Amount(d.Gross)),
                        d.Notes.Select(n => new XElement("Causale", Latin(n, 200)))),
                    d.Preceding is { } preceding
                        ? new XElement("DatiFattureCollegate", new XElement("IdDocumento", Latin(preceding.Number, 20)), new XElement("Data", Date(preceding.Date)))
                        : null),
                new XElement("DatiBeniServizi",
                    d.Lines.Select(l => new XElement("DettaglioLinee",
                        new XElement("NumeroLinea", (l.Index + 1).ToString(CultureInfo.InvariantCulture)),
                        new XElement("Descrizione", Latin(l.Description, 1000)),
                        new XElement("Quantita", l.Quantity.ToString("0.00######", CultureInfo.InvariantCulture)),
                        new XElement("PrezzoUnitario", l.UnitPrice.ToString("0.00######", CultureInfo.InvariantCulture)),
                        new XElement("PrezzoTotale", Amount(l.Net)),
                        new XElement("AliquotaIVA", Rate(l.VatRate)),
                        l.VatRate == 0m && l.Vat.Natura is { } natura ? new XElement("Natura", natura) : null)),
                    d.VatGroups.Select(g => new XElement("DatiRiepilogo",
                        new XElement("AliquotaIVA", Rate(g.Rate)),
                        g.Rate == 0m && g.Code.Natura is { } natura ? new XElement("Natura", natura) : null,
                        new XElement("ImponibileImporto", Amount(g.Base)),
                        new XElement("Imposta", Amount(g.Vat)),
                        // Reverse charge: the client pays the VAT, so no due VAT is "immediate"; the others are.
                        g.Rate == 0m ? null : new XElement("EsigibilitaIVA", "I"),
                        g.Code.ExemptionReason is { } reason ? new XElement("RiferimentoNormativo", Latin(reason, 100)) : null))),
                credit ? null : new XElement("DatiPagamento",
                    new XElement("CondizioniPagamento", "TP02"),
                    new XElement("DettaglioPagamento",
                        new XElement("ModalitaPagamento", "MP05"),
                        d.DueDate is { } due ? new XElement("DataScadenzaPagamento", Date(due)) : null,
                        new XElement("ImportoPagamento", Amount(d.Gross)),
                        d.Iban is { } iban ? new XElement("IBAN", iban.Replace(" ", "", StringComparison.Ordinal)) : null,
                        d.Bic is { } bic ? new XElement("BIC", bic) : null,
                        d.PaymentReference is { } reference ? new XElement("CodicePagamento", Latin(reference, 60)) : null)),
                d.Visual is { } visual
                    ? new XElement("Allegati",
                        new XElement("NomeAttachment", Latin(visual.FileName, 60)),
                        new XElement("FormatoAttachment", "PDF"),
                        new XElement("Attachment", Convert.ToBase64String(visual.Content)))
                    : null));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
    }

    private static IEnumerable<XElement> BuyerIdentity(Smart.Rules.EInvoicing.EInvoiceParty buyer)
    {
        var vat = buyer.VatNumber?.Replace(" ", "", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(vat) && vat.Length > 2 && char.IsAsciiLetter(vat[0]) && char.IsAsciiLetter(vat[1]))
            yield return new XElement("IdFiscaleIVA", new XElement("IdPaese", vat[..2].ToUpperInvariant()), new XElement("IdCodice", vat[2..]));
        else if (buyer.Address.Country != "IT")
            // The SdI's convention for a foreign client without a VAT number.
            yield return new XElement("IdFiscaleIVA", new XElement("IdPaese", buyer.Address.Country), new XElement("IdCodice", "99999999999"));
        if (buyer.Address.Country == "IT" && string.IsNullOrEmpty(vat) && !string.IsNullOrWhiteSpace(buyer.CompanyNumber))
            yield return new XElement("CodiceFiscale", buyer.CompanyNumber.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
    }

    private static XElement Sede(Smart.Rules.Plugins.PostalAddress address) => new("Sede",
        new XElement("Indirizzo", Latin(address.Street ?? "", 60)),
        new XElement("CAP", address.Country == "IT" ? Digits(address.PostalCode) : "00000"),
        new XElement("Comune", Latin(address.City ?? "", 60)),
        new XElement("Nazione", address.Country));

    /// <summary>Up to ten letters and digits, unique per document: the number's year and place, N before a credit note's.</summary>
    private static string Progressive(EInvoiceDocument d)
    {
        var digits = Digits(d.Number);
        return d.Kind == EInvoiceKind.CreditNote ? "N" + digits[Math.Max(0, digits.Length - 9)..] : digits[Math.Max(0, digits.Length - 10)..];
    }

    private static string Digits(string? value) => new((value ?? "").Where(char.IsAsciiDigit).ToArray());

    private static string Amount(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Rate(decimal rate) => (rate * 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The SdI takes Latin-1 text only: typographic dashes and quotes become their plain forms, anything else a '?'.</summary>
    private static string Latin(string text, int length)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC))
            builder.Append(c switch
            {
                '–' or '—' or '‑' => '-',
                '‘' or '’' => '\'',
                '“' or '”' => '"',
                '…' => '.',
                _ when c <= 'ÿ' && !char.IsControl(c) => c,
                _ => '?',
            });
        var latin = builder.ToString().Trim();
        return latin.Length <= length ? latin : latin[..length];
    }
}
