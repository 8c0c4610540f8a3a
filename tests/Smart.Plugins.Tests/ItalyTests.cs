using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class ItalyTests
{
    [Theory]
    [InlineData("00743110157", "00743110157")]
    [InlineData("12345670017", "12345670017")]
    public void Italian_partita_IVA_with_valid_check_digit_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("IT", IdentifierKind.CompanyNumber, value).Normalised);

    [Theory]
    [InlineData("00743110158")]
    // Luhn holds but 500 is no tax office.
    [InlineData("12345675008")]
    [InlineData("00000000000")]
    [InlineData("0074311015")]
    public void Italian_partita_IVA_with_wrong_check_digit_or_office_is_rejected(string value) =>
        Assert.False(Check("IT", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("IT00743110157", "IT00743110157")]
    [InlineData("00743110157", "IT00743110157")]
    public void Italian_VAT_number_is_IT_and_the_partita_IVA(string value, string normalised) =>
        Assert.Equal(normalised, Check("IT", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("RCCMNL83S18D969H")]
    [InlineData("rccmnl83s18d969h")]
    [InlineData("MRTMTT91D08F205J")]
    [InlineData("RSSMRA85T10A562S")]
    public void Italian_codice_fiscale_with_valid_check_letter_is_accepted(string value) =>
        Assert.True(Check("IT", IdentifierKind.PersonalNumber, value).IsValid);

    [Theory]
    [InlineData("RCCMNL83S18D969")]
    [InlineData("RCCMNL83S18D969A")]
    [InlineData("RCCMNL83X18D969H")]
    public void Italian_codice_fiscale_with_wrong_check_letter_or_format_is_rejected(string value) =>
        Assert.False(Check("IT", IdentifierKind.PersonalNumber, value).IsValid);

    [Fact]
    public void Italian_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF34 42", Plugin("IT").PaymentReference(42));

    [Theory]
    [InlineData("IT00743110157", true)]
    [InlineData("IT00743110158", false)]
    public void ItIva_IsValid_checks_the_Italian_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("IT", "IsValid", number));
}
