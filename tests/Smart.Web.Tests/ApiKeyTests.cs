using System.Net;

namespace Smart.Web.Tests;

public class ApiKeyTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Request_without_key_gets_401_problem_not_a_redirect()
    {
        using var client = app.ClientWithKey(null);
        var response = await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location);
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }

    [Fact]
    public async Task Unknown_key_gets_401_problem()
    {
        using var client = app.ClientWithKey("not-a-key-anyone-was-given");
        var response = await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoked_key_gets_401_problem()
    {
        var key = await app.IssueKeyAsync("Former partner", countries: null, revoked: true);
        using var client = app.ClientWithKey(key);
        var response = await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_restricted_to_France_gets_403_for_a_Belgian_invoice()
    {
        var key = await app.IssueKeyAsync("French partner portal", countries: ["FR"]);
        using var client = app.ClientWithKey(key);

        var response = await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("BE", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Key_restricted_to_France_gets_403_for_a_Belgian_contract()
    {
        var key = await app.IssueKeyAsync("French partner portal", countries: ["FR"]);
        using var client = app.ClientWithKey(key);
        var response = await client.PostJsonAsync(Http.ContractPath, Documents.BelgianEmployeeContract);
        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Key_restricted_to_France_may_evaluate_a_French_invoice()
    {
        var key = await app.IssueKeyAsync("French partner portal", countries: ["fr"]);
        using var client = app.ClientWithKey(key);
        var response = await client.PostJsonAsync(Http.InvoicePath, Documents.DomesticServiceInvoice("FR"));
        await response.AssertOkAsync();
    }
}
