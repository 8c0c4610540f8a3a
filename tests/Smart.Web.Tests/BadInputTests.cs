using System.Net;

namespace Smart.Web.Tests;

/// <summary>Bad input is the partner's to fix: a 400 or 422 problem naming the field, never a 500.</summary>
public class BadInputTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Client = """ "client": { "kind": "individual", "country": "BE" } """;
    private const string Line = """ { "description": "Design work", "category": "service", "quantity": 1, "unitPrice": 100 } """;

    public static TheoryData<string, string, string> InvalidInvoices => new()
    {
        { "malformed JSON", """{ "country": "BE", "date": """, "date" },
        { "empty body", "", "body" },
        { "null body", "null", "body" },
        { "quantity as a string", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "service", "quantity": "2", "unitPrice": 10 } ] }""", "lines[0].quantity" },
        { "impossible date", $$"""{ "country": "BE", "date": "2026-02-30", {{Client}}, "lines": [ {{Line}} ] }""", "date" },
        { "date in another format", $$"""{ "country": "BE", "date": "15/03/2026", {{Client}}, "lines": [ {{Line}} ] }""", "date" },
        { "missing country", $$"""{ "date": "2026-03-15", {{Client}}, "lines": [ {{Line}} ] }""", "country" },
        { "null country", $$"""{ "country": null, "date": "2026-03-15", {{Client}}, "lines": [ {{Line}} ] }""", "country" },
        { "unknown client kind", """{ "country": "BE", "date": "2026-03-15", "client": { "kind": "alien", "country": "BE" }, "lines": [ { "description": "x", "category": "service", "quantity": 1, "unitPrice": 1 } ] }""", "client.kind" },
        { "unknown line category", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "food", "quantity": 1, "unitPrice": 1 } ] }""", "lines[0].category" },
        { "negative quantity", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "service", "quantity": -2, "unitPrice": 1 } ] }""", "lines[0].quantity" },
        { "misspelt optional field", $$"""{ "country": "BE", "date": "2026-03-15", "isuer": "formateurs-associes", {{Client}}, "lines": [ {{Line}} ] }""", "isuer" },
        { "null line", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ null ] }""", "lines[0]" },
        // Issue 10, F8: each of these overflowed decimal arithmetic and answered 500.
        { "quantity × price beyond decimal", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "service", "quantity": 100000000000000000000, "unitPrice": 10000000000000 } ] }""", "lines[0].quantity" },
        { "unit price beyond any invoice", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "service", "quantity": 1, "unitPrice": 79000000000000000000000000000 } ] }""", "lines[0].unitPrice" },
        { "unit price beyond decimal", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "lines": [ { "description": "x", "category": "service", "quantity": 1, "unitPrice": 1e400 } ] }""", "lines[0].unitPrice" },
        { "huge author rights of the year", $$"""{ "country": "BE", "date": "2026-03-15", {{Client}}, "member": { "authorRightsYearToDate": 79000000000000000000000000000 }, "lines": [ { "description": "x", "category": "author-rights", "quantity": 1, "unitPrice": 100 } ] }""", "member.authorRightsYearToDate" },
    };

    [Theory]
    [MemberData(nameof(InvalidInvoices))]
    public async Task Invalid_invoice_gets_400_naming_the_field(string why, string body, string field)
    {
        using var client = app.DemoPartner();

        var problem = await (await client.PostJsonAsync(Http.InvoicePath, body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.ErrorFields().Contains(field), $"{why}: expected '{field}' in errors, got [{string.Join(", ", problem.ErrorFields())}]");
    }

    [Fact]
    public async Task Body_that_is_not_JSON_gets_415_problem()
    {
        using var client = app.DemoPartner();
        var response = await client.PostAsync(Http.InvoicePath, new StringContent("country=BE", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Every_bad_field_of_an_invoice_is_named_at_once()
    {
        using var client = app.DemoPartner();
        const string body = """
            { "date": "2026-03-15", "client": { "kind": "alien", "country": "BE" },
              "lines": [ { "description": "x", "category": "food", "quantity": -1, "unitPrice": 1 } ] }
            """;

        var problem = await (await client.PostJsonAsync(Http.InvoicePath, body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Superset(new HashSet<string> { "country", "client.kind", "lines[0].category", "lines[0].quantity" }, problem.ErrorFields().ToHashSet());
    }

    public static TheoryData<string, string, string> InvalidContracts => new()
    {
        { "budget as a string", """{ "country": "BE", "date": "2026-03-15", "jobCategory": "employee", "days": 5, "hours": 38, "budget": "lots" }""", "budget" },
        { "unknown job category", """{ "country": "BE", "date": "2026-03-15", "jobCategory": "astronaut", "days": 5, "hours": 38, "budget": 2000 }""", "jobCategory" },
        { "malformed JSON", """{ "country": "BE", """, "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidContracts))]
    public async Task Invalid_contract_gets_400_naming_the_field(string why, string body, string field)
    {
        using var client = app.DemoPartner();

        var problem = await (await client.PostJsonAsync(Http.ContractPath, body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.ErrorFields().Contains(field), $"{why}: expected '{field}' in errors, got [{string.Join(", ", problem.ErrorFields())}]");
    }

    [Theory]
    [InlineData("XX", "2026-03-15", "country")]
    [InlineData("BE", "1900-01-01", "date")]
    public async Task Invoice_no_rule_set_covers_gets_422_naming_the_field(string country, string date, string field)
    {
        using var client = app.DemoPartner();
        var body = $$"""{ "country": "{{country}}", "date": "{{date}}", {{Client}}, "lines": [ {{Line}} ] }""";

        var problem = await (await client.PostJsonAsync(Http.InvoicePath, body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains(field, problem.ErrorFields());
    }

    [Fact]
    public async Task Contract_of_an_unknown_country_gets_422()
    {
        using var client = app.DemoPartner();
        var body = """{ "country": "XX", "date": "2026-03-15", "jobCategory": "employee", "days": 5, "hours": 38, "budget": 2000 }""";

        var problem = await (await client.PostJsonAsync(Http.ContractPath, body)).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("country", problem.ErrorFields());
    }
}
