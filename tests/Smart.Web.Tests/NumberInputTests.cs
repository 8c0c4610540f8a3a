using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests;

/// <summary>Numbers typed in forms: a point or a comma for decimals, thousands by three, the ambiguous "1.500" refused naming the field.</summary>
public class NumberInputTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Theory]
    [InlineData("121.00", "121.00")]
    [InlineData("121,00", "121.00")]
    [InlineData("1234,5", "1234.5")]
    [InlineData("1234.567", "1234.567")]
    [InlineData("0.125", "0.125")]
    [InlineData("1.234,56", "1234.56")]
    [InlineData("1,234.56", "1234.56")]
    [InlineData("1 234,56", "1234.56")]
    [InlineData("1.234.567", "1234567")]
    [InlineData("-12,5", "-12.5")]
    [InlineData(" 42 ", "42")]
    [InlineData(",5", "0.5")]
    public void A_number_is_read_as_people_type_it(string typed, string expected)
    {
        Assert.Equal(DecimalText.Problem.None, DecimalText.TryParse(typed, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1.500", DecimalText.Problem.Ambiguous)]
    [InlineData("12.345", DecimalText.Problem.Ambiguous)]
    [InlineData("deux", DecimalText.Problem.NotANumber)]
    [InlineData("12,34,5", DecimalText.Problem.NotANumber)]
    [InlineData("1.23.456", DecimalText.Problem.NotANumber)]
    [InlineData("1,2.3", DecimalText.Problem.NotANumber)]
    [InlineData("--5", DecimalText.Problem.NotANumber)]
    [InlineData("-", DecimalText.Problem.NotANumber)]
    [InlineData("1e5", DecimalText.Problem.NotANumber)]
    public void A_text_that_is_no_number_or_two_is_refused(string typed, DecimalText.Problem problem) =>
        Assert.Equal(problem, DecimalText.TryParse(typed, out _));

    private async Task<(ProductionUnit Unit, Client Client)> BelgianAsync()
    {
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        return (unit, client);
    }

    [Fact]
    public async Task An_English_price_with_a_decimal_point_is_stored_as_typed_not_a_hundred_times_higher()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (unit, client) = await BelgianAsync();

        var id = await Invoices.InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop", ("Set design", "service", "2", "450.50"));

        var line = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!.Lines[0];
        Assert.Equal((2m, 450.50m), (line.Quantity, line.UnitPrice));
    }

    [Theory]
    [InlineData("en-BE", "1.500", "Unit price", "can be read two ways")]
    [InlineData("fr-BE", "deux", "Prix unitaire", "n'est pas un nombre")]
    [InlineData("nl-BE", "1.500", "Eenheidsprijs", "op twee manieren")]
    public async Task A_number_that_is_none_or_ambiguous_is_a_form_error_naming_the_field_in_the_users_language(string culture, string typed, string field, string says)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var (unit, client) = await BelgianAsync();
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;

        var response = await staff.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"),
            ("Data.Issuer", "smartcoop"), ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", typed));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        var error = page.QuerySelector("[data-valmsg-for='Data.Lines[0].UnitPrice']")?.TextContent ?? "";
        Assert.Contains(says, error);
        Assert.Contains(field, error);
    }
}
