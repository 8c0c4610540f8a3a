using System.Net;
using System.Xml.Linq;

namespace Smart.Web.Tests.EInvoicing;

/// <summary><c>POST /api/v1/render/invoice</c>: the e-invoice a document would be sent as, written by the issuing code path, or a problem naming the field.</summary>
public class RenderApiTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string RenderPath = "/api/v1/render/invoice";
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    /// <summary>A Belgian set design sold to a Belgian company, reached on Peppol by the participant its enterprise number gives.</summary>
    private const string BelgianBusinessInvoice = """
        { "number": "BE-2026-000042", "issueDate": "2026-03-15", "dueDate": "2026-04-14", "country": "BE",
          "client": { "kind": "business", "country": "BE", "vatNumber": "BE0123456749", "companyNumber": "0123456749", "name": "Théâtre de la Monnaie SA",
                      "address": { "street": "Rue Léopold 4", "city": "Bruxelles", "postalCode": "1000" } },
          "lines": [ { "description": "Set design", "category": "service", "quantity": 2, "unitPrice": 450.00 },
                     { "description": "Train tickets paid for the client", "category": "disbursement", "quantity": 1, "unitPrice": 120.40 } ] }
        """;

    private const string ItalianBusinessInvoice = """
        { "number": "IT-2026-000007", "issueDate": "2026-03-15", "dueDate": "2026-04-14", "country": "IT",
          "client": { "kind": "business", "country": "IT", "vatNumber": "IT00743110157", "name": "Teatro Studio Srl", "codiceDestinatario": "abc1234",
                      "address": { "street": "Via Rovello 2", "city": "Milano", "postalCode": "20121" } },
          "lines": [ { "description": "Progettazione scenica", "category": "service", "quantity": 1, "unitPrice": 1500.00 } ] }
        """;

    [Fact]
    public async Task A_Belgian_business_invoice_renders_as_Peppol_UBL_with_the_evaluations_amounts_and_its_PDF()
    {
        using var client = app.DemoPartner();
        var evaluation = await (await client.PostJsonAsync(Http.InvoicePath, EvaluationBodyOf(BelgianBusinessInvoice))).AssertOkAsync();

        var response = await client.PostJsonAsync(RenderPath, BelgianBusinessInvoice);

        var xml = await XmlAsync(response);
        Assert.Equal("Invoice", xml.Root!.Name.LocalName);
        Assert.Equal("BE-2026-000042", xml.Root.Element(Cbc + "ID")!.Value);
        Assert.Equal("2026-03-15", xml.Root.Element(Cbc + "IssueDate")!.Value);
        Assert.Equal("2026-04-14", xml.Root.Element(Cbc + "DueDate")!.Value);
        var totals = evaluation.GetProperty("totals");
        var monetary = xml.Root.Element(Cac + "LegalMonetaryTotal")!;
        Assert.Equal(totals.GetProperty("net").GetDecimal(), decimal.Parse(monetary.Element(Cbc + "TaxExclusiveAmount")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(totals.GetProperty("gross").GetDecimal(), decimal.Parse(monetary.Element(Cbc + "PayableAmount")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        // The buyer's Peppol endpoint is derived from its enterprise number (scheme 0208), as on a client saved in the intranet.
        var endpoint = xml.Root.Element(Cac + "AccountingCustomerParty")!.Descendants(Cbc + "EndpointID").Single();
        Assert.Equal(("0208", "0123456749"), (endpoint.Attribute("schemeID")!.Value, endpoint.Value));
        // The Belgian structured communication of the number, as the remittance information.
        Assert.Equal("+++202/6000/04236+++", xml.Root.Descendants(Cbc + "PaymentID").Single().Value);
        var pdf = xml.Root.Descendants(Cbc + "EmbeddedDocumentBinaryObject").Single();
        Assert.Equal("application/pdf", pdf.Attribute("mimeCode")!.Value);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(pdf.Value)[..5]));
    }

    [Fact]
    public async Task Italy_renders_FatturaPA_by_default_and_UBL_when_asked_and_both_pass_the_official_checks()
    {
        using var client = app.DemoPartner();

        var fattura = await XmlAsync(await client.PostJsonAsync(RenderPath, ItalianBusinessInvoice));
        // On Peppol an Italian business is reached by its partita IVA (scheme 0211).
        var ubl = await XmlAsync(await client.PostJsonAsync(RenderPath + "?format=ubl", Merge(ItalianBusinessInvoice, """{ "client": { "peppolId": "0211:IT00743110157" } }""")));
        var belgian = await XmlAsync(await client.PostJsonAsync(RenderPath, BelgianBusinessInvoice));
        // Author rights bear no VAT: above €77.47 without VAT the invoice bears the €2 bollo, declared as paid virtually.
        var rights = await XmlAsync(await client.PostJsonAsync(RenderPath, Merge(ItalianBusinessInvoice,
            """{ "lines": [ { "description": "Cessione diritti d'autore", "category": "author-rights", "quantity": 1, "unitPrice": 1000.00 } ] }""")));

        Assert.Equal("FatturaElettronica", fattura.Root!.Name.LocalName);
        Assert.Equal("ABC1234", fattura.Descendants("CodiceDestinatario").Single().Value);
        Assert.Equal("IT-2026-000007", fattura.Descendants("Numero").First().Value);
        Assert.Equal("Invoice", ubl.Root!.Name.LocalName);
        Assert.Empty(fattura.Descendants("DatiBollo"));
        var bollo = rights.Descendants("DatiBollo").Single();
        Assert.Equal(("SI", "2.00"), (bollo.Element("BolloVirtuale")!.Value, bollo.Element("ImportoBollo")!.Value));

        var folder = Directory.CreateTempSubdirectory("smart-render-").FullName;
        var files = new[] { ("IT-fatturapa.xml", fattura), ("IT-ubl.xml", ubl), ("BE-ubl.xml", belgian), ("IT-bollo.xml", rights) }
            .Select(f => { var path = Path.Combine(folder, f.Item1); f.Item2.Save(path); return path; }).ToList();
        var failures = await ValidationKit.FailuresAsync(files);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("""{ "number": "", "issueDate": "2026-03-15" }""", "number")]
    [InlineData("""{ "number": "BE-2026-000042 with a comment too long" }""", "number")]
    [InlineData("""{ "client": { "name": "" } }""", "client.name")]
    [InlineData("""{ "client": { "peppolId": "0208-0123456749" } }""", "client.peppolId")]
    [InlineData("""{ "client": { "address": { "street": null } } }""", "client.address.street")]
    [InlineData("""{ "issueDate": "2026-03-15", "date": "2026-03-16" }""", "issueDate")]
    [InlineData("""{ "dueDate": "2026-03-01" }""", "dueDate")]
    [InlineData("""{ "lines": [ { "description": "Set design", "category": "service", "quantity": "two", "unitPrice": 450.00 } ] }""", "lines[0].quantity")]
    [InlineData("""{ "lines": [ { "description": "Set design", "category": "sculpture", "quantity": 2, "unitPrice": 450.00 } ] }""", "lines[0].category")]
    [InlineData("""{ "clinet": { } }""", "clinet")]
    public async Task A_bad_field_is_a_400_problem_naming_it(string change, string field)
    {
        using var client = app.DemoPartner();

        var response = await client.PostJsonAsync(RenderPath, Merge(BelgianBusinessInvoice, change));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.ErrorFields());
    }

    [Fact]
    public async Task A_format_the_country_does_not_use_is_named()
    {
        using var client = app.DemoPartner();

        var problem = await (await client.PostJsonAsync(RenderPath + "?format=fatturapa", BelgianBusinessInvoice)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["format"], problem.ErrorFields());
    }

    [Fact]
    public async Task An_Italian_business_without_its_SdI_channel_is_named()
    {
        using var client = app.DemoPartner();

        var problem = await (await client.PostJsonAsync(RenderPath, Merge(ItalianBusinessInvoice, """{ "client": { "codiceDestinatario": null } }""")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("client.codiceDestinatario", problem.ErrorFields());
    }

    [Fact]
    public async Task Lines_not_subject_to_VAT_beside_taxed_ones_are_refused_as_the_official_rules_would()
    {
        using var client = app.DemoPartner();
        // A service to a Swiss business is outside the scope of Belgian VAT (O); a disbursement beside it is not.
        var swiss = Merge(BelgianBusinessInvoice, """
            { "client": { "country": "CH", "vatNumber": null, "companyNumber": null, "name": "Atelier Léman SA", "peppolId": "0088:7640000000001",
                          "address": { "street": "Rue du Rhône 12", "city": "Genève", "postalCode": "1204" } } }
            """);

        var problem = await (await client.PostJsonAsync(RenderPath, swiss)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["lines"], problem.ErrorFields());
        Assert.Contains("BR-O-11", problem.GetProperty("errors").GetProperty("lines")[0].GetString());
    }

    [Fact]
    public async Task A_key_for_France_may_not_render_a_Belgian_invoice()
    {
        var key = await app.IssueKeyAsync("French partner portal", countries: ["FR"]);
        using var client = app.ClientWithKey(key);

        await (await client.PostJsonAsync(RenderPath, BelgianBusinessInvoice)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Without_a_key_nothing_is_rendered()
    {
        using var client = app.CreateClient();

        var response = await client.PostJsonAsync(RenderPath, BelgianBusinessInvoice);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<XDocument> XmlAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(body);
    }

    /// <summary>The render body as <c>/api/v1/evaluate/invoice</c> takes it: the identity fields left out.</summary>
    private static string EvaluationBodyOf(string render)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(render)!.AsObject();
        body["date"] = body["issueDate"]!.GetValue<string>();
        foreach (var field in new[] { "number", "issueDate" }) body.Remove(field);
        var party = body["client"]!.AsObject();
        foreach (var field in new[] { "name", "companyNumber", "address", "codiceDestinatario" }) party.Remove(field);
        return body.ToJsonString();
    }

    /// <summary>The body with <paramref name="change"/>'s fields written over it, objects merged field by field.</summary>
    private static string Merge(string json, string change)
    {
        var target = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Write(target, System.Text.Json.Nodes.JsonNode.Parse(change)!.AsObject());
        return target.ToJsonString();

        static void Write(System.Text.Json.Nodes.JsonObject into, System.Text.Json.Nodes.JsonObject from)
        {
            foreach (var (name, value) in from.ToList())
                if (value is System.Text.Json.Nodes.JsonObject inner && into[name] is System.Text.Json.Nodes.JsonObject existing) Write(existing, inner);
                else into[name] = value?.DeepClone();
        }
    }
}
