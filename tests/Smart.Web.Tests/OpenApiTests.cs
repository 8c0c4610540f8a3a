using System.Net;

namespace Smart.Web.Tests;

public class OpenApiTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task OpenApi_description_is_public_and_describes_both_evaluation_endpoints()
    {
        using var client = app.ClientWithKey(null);

        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.JsonAsync()).GetProperty("paths");
        foreach (var path in new[] { Http.InvoicePath, Http.ContractPath })
        {
            var post = paths.GetProperty(path).GetProperty("post");
            Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), path);
            var responses = post.GetProperty("responses");
            foreach (var status in new[] { "200", "400", "401", "403", "422" }) Assert.True(responses.TryGetProperty(status, out _), $"{path} {status}");
            Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _), path);
        }
    }
}
