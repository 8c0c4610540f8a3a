using System.Xml.Linq;

namespace Smart.Rules.EInvoicing;

/// <summary>An e-invoice format: the data it needs, the document it writes, and its schema check.</summary>
public interface IEInvoiceFormat
{
    /// <summary>The format's short name, as the render API's <c>?format=</c> takes it: ubl, fatturapa.</summary>
    string Name { get; }

    /// <summary>The name a written document is stored and downloaded under.</summary>
    string FileName(EInvoiceDocument document);

    /// <summary>Whether this document goes out in the format at all (Peppol: not to a private person with no Peppol identifier).</summary>
    bool Applies(EInvoiceDocument document);

    /// <summary>What the document needs and lacks; issuing with anything listed here is refused, naming it.</summary>
    IReadOnlyList<MissingDatum> Missing(EInvoiceDocument document);

    XDocument Write(EInvoiceDocument document);

    /// <summary>The format's XSD check, in-process: every problem, none when valid.</summary>
    IReadOnlyList<string> SchemaProblems(XDocument document);
}
