using System.Text.Json;

namespace Smart.Web.Tests;

public class EvaluateContractTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Demo_key_evaluates_a_Belgian_employee_contract_into_its_budget_split()
    {
        using var client = app.DemoPartner();

        var evaluation = await (await client.PostJsonAsync(Http.ContractPath, Documents.BelgianEmployeeContract)).AssertOkAsync();

        Assert.Equal("BE", evaluation.GetProperty("country").GetString());
        Assert.Equal("EUR", evaluation.GetProperty("currency").GetString());
        var employment = evaluation.GetProperty("employment");
        foreach (var field in new[] { "budget", "mutualisedContribution", "employerContributions", "grossSalary", "employerRate", "workerContributions", "netBeforeTax" })
            Assert.Equal(JsonValueKind.Number, employment.GetProperty(field).ValueKind);
        Assert.Equal(2000.00m, employment.GetProperty("budget").GetDecimal());
        // The budget is spent exactly: nothing is lost or invented by rounding.
        Assert.Equal(employment.GetProperty("budget").GetDecimal(),
            employment.GetProperty("mutualisedContribution").GetDecimal() + employment.GetProperty("employerContributions").GetDecimal()
            + employment.GetProperty("grossSalary").GetDecimal());
        Assert.True(evaluation.TryGetProperty("contribution", out _));
        Assert.NotEqual(0, evaluation.GetProperty("rulesets").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, evaluation.GetProperty("trace").ValueKind);
    }
}
