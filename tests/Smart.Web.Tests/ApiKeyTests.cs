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

    [Theory]
    [InlineData("/")]
    [InlineData("/Members")]
    [InlineData("/Admin/Accounts")]
    [InlineData("/Members/Export")]
    public async Task An_api_key_does_not_sign_in_to_intranet_pages(string url)
    {
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add(Web.Security.ApiKeyAuthenticationHandler.HeaderName, Web.Storage.DemoSeed.DemoPartnerKey);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery);
    }
}
