using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class SpainTests
{
    [Theory]
    [InlineData("54362315K", "54362315K")]
    [InlineData("X-5253868-R", "X5253868R")]
    [InlineData("X2482300W", "X2482300W")]
    [InlineData("M-1234567-L", "M1234567L")]
    public void Spanish_DNI_or_NIE_with_valid_letter_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("ES", IdentifierKind.PersonalNumber, value).Normalised);

    [Theory]
    [InlineData("54362315Z")]
    [InlineData("X5253868T")]
    [InlineData("B64717838")]
    public void Spanish_DNI_or_NIE_with_wrong_letter_is_rejected(string value) =>
        Assert.False(Check("ES", IdentifierKind.PersonalNumber, value).IsValid);

    [Theory]
    [InlineData("B64717838")]
    [InlineData("J99216582")]
    [InlineData("A13 585 625")]
    [InlineData("ES B-58378431")]
    public void Spanish_CIF_with_valid_control_character_is_accepted(string value) =>
        Assert.True(Check("ES", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("B64717839")]
    [InlineData("J99216583")]
    [InlineData("J992165831")]
    [InlineData("M-1234567-L")]
    [InlineData("O-1234567-L")]
    public void Spanish_CIF_with_wrong_control_character_or_type_is_rejected(string value) =>
        Assert.False(Check("ES", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("ES B-58378431", "ESB58378431")]
    [InlineData("ES54362315K", "ES54362315K")]
    [InlineData("X-5253868-R", "ESX5253868R")]
    public void Spanish_VAT_number_is_ES_and_any_NIF(string value, string normalised) =>
        Assert.Equal(normalised, Check("ES", IdentifierKind.VatNumber, value).Normalised);

    [Fact]
    public void Spanish_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF46 2026 0001 23", Plugin("ES").PaymentReference(2026000123));

    [Theory]
    [InlineData("ESB58378431", true)]
    [InlineData("54362315K", true)]
    [InlineData("ESB64717839", false)]
    public void EsNif_IsValid_checks_the_Spanish_NIF(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("ES", "IsValid", number));
}
