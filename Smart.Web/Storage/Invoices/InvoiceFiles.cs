namespace Smart.Web.Storage.Invoices;

/// <summary>
/// What an issued invoice was sent as, made once inside its issuing and never changed: the e-invoice (none when its format does not
/// apply, e.g. Peppol to a private person) and the PDF.
/// </summary>
public sealed record InvoiceFiles(int InvoiceId, string? Format, string? XmlFileName, string? Xml, string PdfFileName, byte[] Pdf);
