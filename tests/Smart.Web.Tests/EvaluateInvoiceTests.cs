using System.Text.Json;

namespace Smart.Web.Tests;

public class EvaluateInvoiceTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Demo_key_evaluates_the_Belgian_example_with_every_documented_field()
    {
        using var client = app.DemoPartner();

        var evaluation = await (await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertOkAsync();

        Assert.Equal("BE", evaluation.GetProperty("country").GetString());
        Assert.Equal("EUR", evaluation.GetProperty("currency").GetString());
        Assert.Equal("2026-03-15", evaluation.GetProperty("date").GetString());

        var line = evaluation.GetProperty("lines")[0];
        foreach (var field in new[] { "net", "vatRate", "vat" }) Assert.Equal(JsonValueKind.Number, line.GetProperty(field).ValueKind);
        Assert.Contains(line.GetProperty("vatTreatment").GetString(), new[] { "standard", "reduced", "exempt", "reverse-charge", "out-of-scope" });
        Assert.True(line.TryGetProperty("mention", out _));
        Assert.Equal(2m * 450.00m, line.GetProperty("net").GetDecimal());

        var totals = evaluation.GetProperty("totals");
        Assert.Equal(totals.GetProperty("net").GetDecimal() + totals.GetProperty("vat").GetDecimal(), totals.GetProperty("gross").GetDecimal());
        Assert.Equal(900.00m, totals.GetProperty("net").GetDecimal());

        var breakdown = evaluation.GetProperty("vatBreakdown");
        Assert.NotEqual(0, breakdown.GetArrayLength());
        foreach (var field in new[] { "treatment", "rate", "base", "vat" }) Assert.True(breakdown[0].TryGetProperty(field, out _), field);

        var contribution = evaluation.GetProperty("contribution");
        foreach (var field in new[] { "rate", "base", "amount" })
            Assert.Equal(JsonValueKind.Number, contribution.GetProperty(field).ValueKind);

        Assert.True(evaluation.TryGetProperty("authorRights", out _));
        Assert.Equal(JsonValueKind.Array, evaluation.GetProperty("mentions").ValueKind);
        var ruleset = evaluation.GetProperty("rulesets")[0];
        foreach (var field in new[] { "id", "version", "validFrom" }) Assert.True(ruleset.TryGetProperty(field, out _), field);
        var trace = evaluation.GetProperty("trace")[0];
        foreach (var field in new[] { "ruleset", "rule", "line", "detail" }) Assert.True(trace.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Training_by_the_recognised_body_is_exempt_as_in_the_design_example()
    {
        using var client = app.DemoPartner();
        var evaluation = await (await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).AssertOkAsync();

        Assert.Equal("exempt", evaluation.GetProperty("lines")[0].GetProperty("vatTreatment").GetString());
        Assert.Equal(900.00m, evaluation.GetProperty("totals").GetProperty("gross").GetDecimal());
    }

    [Theory]
    [InlineData("BE", "EUR")]
    [InlineData("FR", "EUR")]
    [InlineData("IT", "EUR")]
    [InlineData("SE", "SEK")]
    [InlineData("DE", "EUR")]
    [InlineData("AT", "EUR")]
    [InlineData("NL", "EUR")]
    [InlineData("ES", "EUR")]
    public async Task Domestic_service_invoice_is_evaluated_in_the_country_currency(string country, string currency)
    {
        using var client = app.DemoPartner();

        var evaluation = await (await client.PostJsonAsync(Http.InvoicePath, Documents.DomesticServiceInvoice(country))).AssertOkAsync();

        Assert.Equal(country, evaluation.GetProperty("country").GetString());
        Assert.Equal(currency, evaluation.GetProperty("currency").GetString());
        Assert.Equal(3m * 120.50m, evaluation.GetProperty("lines")[0].GetProperty("net").GetDecimal());
        var totals = evaluation.GetProperty("totals");
        Assert.Equal(totals.GetProperty("net").GetDecimal() + totals.GetProperty("vat").GetDecimal(), totals.GetProperty("gross").GetDecimal());
    }
}
