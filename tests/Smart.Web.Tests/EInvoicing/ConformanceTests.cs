using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.EInvoicing;
using Smart.Web.Storage;
using Xunit.Abstractions;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;

namespace Smart.Web.Tests.EInvoicing;

/// <summary>
/// The official rules decide: every country's VAT treatments, as invoice and credit note, written by the issuing code path and
/// checked in one call of the validation kit (OASIS UBL XSD, CEN EN 16931 and Peppol BIS 3.0 schematrons, FatturaPA XSD).
/// </summary>
public class ConformanceTests(SmartWebFactory app, ITestOutputHelper output) : IClassFixture<SmartWebFactory>
{
    private static readonly string[] Countries = ["BE", "FR", "IT", "SE", "DE", "AT", "NL", "ES"];

    /// <summary>A scenario: the client (domestic, another EU country's, or outside the EU), the issuer and the lines.</summary>
    private sealed record Scenario(string Name, string ClientFrom, string? Issuer, params (string Description, string Category, decimal Quantity, decimal UnitPrice)[] Lines);

    private static readonly Scenario[] Scenarios =
    [
        new("standard", "domestic", null, ("Set design", "service", 2m, 450m)),
        new("author-rights", "domestic", null, ("Illustration licence", "author-rights", 1m, 1500m)),
        new("performance", "domestic", null, ("Concert", "artistic-performance", 1m, 2000m)),
        new("training", "domestic", "training-body", ("Workshop", "training", 2m, 450m)),
        new("reverse-charge", "eu", null, ("Logo design", "service", 1m, 800m)),
        new("goods-to-eu-business", "eu", null, ("Printed catalogues", "goods", 100m, 12.5m)),
        new("export-goods", "outside-eu", null, ("Stage costumes", "goods", 3m, 300m)),
        new("outside-eu-service", "outside-eu", null, ("Video editing", "service", 1m, 1200m)),
        new("disbursement", "domestic", null, ("Set design", "service", 1m, 1000m), ("Train tickets paid for the client", "disbursement", 1m, 120.40m)),
    ];

    [Fact]
    public async Task Every_country_and_VAT_treatment_as_invoice_and_credit_note_passes_the_official_checks()
    {
        var folder = Path.Combine(Path.GetTempPath(), "smart-einvoice-conformance", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var documents = app.Services.CreateScope().ServiceProvider.GetRequiredService<InvoiceDocuments>();
        var evaluator = app.Services.GetRequiredService<DocumentEvaluator>();
        var catalog = app.Services.GetRequiredService<PluginCatalog>();
        var clients = app.Services.GetRequiredService<IClientStore>();
        var written = new List<string>();
        var timer = Stopwatch.StartNew();
        var sequence = 0;
        foreach (var country in Countries)
        {
            var manifest = catalog.Find(country)!.Manifest;
            var domestic = await BusinessAsync(clients, country);
            var eu = await BusinessAsync(clients, country == "FR" ? "BE" : "FR");
            var treatments = new HashSet<string>();
            foreach (var scenario in Scenarios)
            {
                var issuer = scenario.Issuer == "training-body" ? manifest.Issuers.FirstOrDefault(i => i.RecognisedTrainingBody)?.Id : manifest.DefaultIssuer.Id;
                if (issuer is null) continue;
                var client = scenario.ClientFrom switch { "domestic" => domestic, "eu" => eu, _ => OutsideEu() };
                var invoice = new Invoice
                {
                    Id = ++sequence, Country = country, ClientId = client.Id, Issuer = issuer, Date = new DateOnly(2026, 3, 15), DueDate = new DateOnly(2026, 4, 14),
                    Lines = scenario.Lines.Select(l => new InvoiceLineItem(l.Description, l.Category, l.Quantity, l.UnitPrice)).ToList(),
                    Number = $"{country}-2026-{sequence:000000}", Status = InvoiceStatus.Issued,
                };
                var outcome = evaluator.EvaluateInvoice(EvaluationInputs.Invoice(invoice, client, null, MemberIncome.None), explain: false);
                Assert.True(outcome.IsSuccess, $"{country} {scenario.Name}: {string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).SelectMany(e => e.Value))}");
                var evaluation = outcome.Value!;
                var key = string.Join("+", evaluation.Lines.Select(l => $"{l.VatTreatment}/{l.VatCategory}/{l.VatRate}"));
                // One document per distinct treatment a country's rules give: scenarios its rules treat alike add nothing.
                if (!treatments.Add(key)) continue;
                invoice = invoice with { Evaluation = evaluation };
                written.Add(Save(folder, documents.Files(invoice, client, null)));

                var note = invoice with
                {
                    Id = ++sequence,
                    CreditNoteForId = invoice.Id,
                    Number = $"{country}-CN-2026-{sequence:000000}",
                    Date = new DateOnly(2026, 3, 20),
                    DueDate = null,
                    Lines = invoice.Lines.Select(l => l with { Quantity = -l.Quantity }).ToList(),
                    Evaluation = evaluation with
                    {
                        Lines = evaluation.Lines.Select(l => l with { Net = -l.Net, Vat = -l.Vat }).ToList(),
                        Totals = new Totals(-evaluation.Totals.Net, -evaluation.Totals.Vat, -evaluation.Totals.Gross),
                        VatBreakdown = evaluation.VatBreakdown.Select(r => r with { Base = -r.Base, Vat = -r.Vat }).ToList(),
                    },
                };
                written.Add(Save(folder, documents.Files(note, client, invoice)));
            }
        }
        var writing = timer.Elapsed;
        output.WriteLine($"{written.Count} documents written in {writing.TotalMilliseconds:F0} ms, {written.Average(f => new FileInfo(f).Length) / 1024:F1} kB on average (PDF embedded)");
        Assert.True(written.Count >= 40, $"only {written.Count} documents");

        timer.Restart();
        var problems = await ValidationKit.ProblemsAsync(written);
        output.WriteLine($"validated in one call in {timer.Elapsed.TotalSeconds:F1} s");
        foreach (var problem in problems) output.WriteLine(problem.ToString());
        var failures = problems.Where(p => p.Fails).Select(p => p.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Directory.Delete(folder, recursive: true);
    }

    private static string Save(string folder, InvoiceFiles files)
    {
        Assert.NotNull(files.Xml);
        var path = Path.Combine(folder, files.XmlFileName!);
        File.WriteAllText(path, files.Xml);
        return path;
    }

    private static async Task<Client> BusinessAsync(IClientStore clients, string country)
    {
        var found = (await clients.SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = ClientKind.Business, Take = 50 })).Rows.First(c => c.VatNumber is not null);
        // Italian businesses are reached through the SdI by their channel code.
        return country == "IT" ? found with { CodiceDestinatario = "ABC1234" } : found;
    }

    /// <summary>A Swiss business, reached on Peppol by its GLN (scheme 0088).</summary>
    private static Client OutsideEu() => new()
    {
        Id = 999_999, Country = "CH", Kind = ClientKind.Business, Name = "Atelier Léman SA", Address = "Rue du Rhône 12", City = "Genève", PostalCode = "1204",
        PeppolScheme = "0088", PeppolId = Gln("764000000000"),
    };

    private static string Gln(string twelve)
    {
        var sum = twelve.Select((c, i) => (c - '0') * (i % 2 == 0 ? 1 : 3)).Sum();
        return twelve + ((10 - sum % 10) % 10).ToString(CultureInfo.InvariantCulture);
    }
}
