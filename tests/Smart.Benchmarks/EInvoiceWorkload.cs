using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Smart.Rules.EInvoicing;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.EInvoicing;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Benchmarks;

/// <summary>
/// The Belgian workload's invoices to businesses, evaluated and numbered as at issuing, with the clients they go to: what the
/// issuing step turns into e-invoices through the app's own <see cref="InvoiceDocuments"/>.
/// </summary>
public sealed class EInvoiceWorkload
{
    public required InvoiceDocuments Documents { get; init; }
    public required IReadOnlyList<(Invoice Invoice, Client Client)> Issued { get; init; }

    public static EInvoiceWorkload Build(PluginCatalog plugins, DocumentEvaluator evaluator, IEnumerable<InvoiceDocument> invoices)
    {
        var localizers = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
        var documents = new InvoiceDocuments(plugins, localizers);
        var belgian = new Client
        {
            Id = 1, Country = "BE", Kind = ClientKind.Business, Name = "Théâtre de la Ville SA", VatNumber = "BE0123456749", CompanyNumber = "0123456749",
            Address = "Rue Léopold 4", City = "Bruxelles", PostalCode = "1000", PeppolScheme = "0208", PeppolId = "0123456749",
        };
        var french = new Client
        {
            Id = 2, Country = "FR", Kind = ClientKind.Business, Name = "Compagnie du Levant SAS", VatNumber = "FR44732829320", CompanyNumber = "732829320",
            Address = "12 rue de la Roquette", City = "Paris", PostalCode = "75011", PeppolScheme = "0002", PeppolId = "732829320",
        };
        var issued = new List<(Invoice, Client)>();
        var sequence = 0;
        foreach (var document in invoices.Where(d => d.Client.Kind == "business"))
        {
            var evaluation = evaluator.EvaluateInvoice(document, explain: false).Value!;
            sequence++;
            var invoice = new Invoice
            {
                Id = sequence, Country = document.Country, Issuer = document.Issuer!, Date = document.Date, DueDate = document.Date.AddDays(30),
                Lines = document.Lines.Select(l => new InvoiceLineItem(l.Description, l.Category, l.Quantity, l.UnitPrice)).ToList(),
                Status = InvoiceStatus.Issued, Number = $"BE-{document.Date.Year}-{sequence:000000}", Evaluation = evaluation,
            };
            issued.Add((invoice, document.Client.Country == "BE" ? belgian : french));
        }
        return new EInvoiceWorkload { Documents = documents, Issued = issued };
    }

    /// <summary>The invoice's e-invoice content, as the issuing step builds it.</summary>
    public EInvoiceDocument DocumentOf((Invoice Invoice, Client Client) issued) =>
        Documents.Document(issued.Invoice, issued.Invoice.Evaluation!, issued.Client, null, issued.Invoice.Number!);

    /// <summary>The texts the PDF prints, in English: the benchmark measures the layout, not the resource lookup.</summary>
    public static string Text(string text) => text;

    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-GB");
}
