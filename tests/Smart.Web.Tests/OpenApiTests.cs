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

    [Fact]
    public async Task OpenApi_description_describes_the_fields_of_the_legal_review_with_the_engines_lists()
    {
        using var client = app.ClientWithKey(null);
        var schemas = (await (await client.GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("components").GetProperty("schemas");
        System.Text.Json.JsonElement Field(string schema, string name) => schemas.GetProperty(schema).GetProperty("properties").GetProperty(name);
        static string Description(System.Text.Json.JsonElement field) => field.GetProperty("description").GetString()!;

        var workKind = Field("InvoiceLine", "workKind");
        var kinds = workKind.GetProperty("enum").EnumerateArray().Where(v => v.ValueKind == System.Text.Json.JsonValueKind.String).Select(v => v.GetString()!).ToHashSet();
        Assert.True(Smart.Rules.Evaluation.WorkKinds.All.SetEquals(kinds), string.Join(", ", kinds));
        Assert.Contains(workKind.GetProperty("enum").EnumerateArray(), v => v.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Contains("software", Description(workKind), StringComparison.Ordinal);
        var categories = Field("InvoiceLine", "category").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToHashSet();
        Assert.True(Smart.Rules.Evaluation.Categories.All.SetEquals(categories));
        var performedIn = Field("InvoiceLine", "performedIn");
        Assert.Equal("^[A-Za-z]{2}$", performedIn.GetProperty("pattern").GetString());
        Assert.Contains("art. 54", Description(performedIn), StringComparison.Ordinal);
        Assert.Contains("70/30", Description(Field("MemberInfo", "professionalIncomeYearToDate")), StringComparison.Ordinal);
        Assert.Contains("70/30", Description(Field("AuthorRightsResult", "aboveShareCap")), StringComparison.Ordinal);
        Assert.Contains("penalty clause", Description(Field("LatePaymentTerms", "penaltyCap")), StringComparison.Ordinal);
        Assert.Contains("bollo", schemas.GetProperty("StampDutyResult").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(Field("StampDutyResult", "mention").TryGetProperty("description", out _));
        Assert.True(schemas.GetProperty("InvoiceEvaluation").GetProperty("properties").TryGetProperty("stampDuty", out _));
    }
}
