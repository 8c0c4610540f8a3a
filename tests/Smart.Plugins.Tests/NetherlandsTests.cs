using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class NetherlandsTests
{
    [Theory]
    [InlineData("NL004495445B01", "NL004495445B01")]
    [InlineData("NL4495445B01", "NL004495445B01")]
    // Issued to sole traders since 2020: ISO 7064 MOD 97-10, no BSN inside.
    [InlineData("NL002455799B11", "NL002455799B11")]
    [InlineData("NL000099998B57", "NL000099998B57")]
    [InlineData("NL123456789B13", "NL123456789B13")]
    public void Dutch_VAT_number_of_either_scheme_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("NL", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("NL123456789B90")]
    [InlineData("NL000099998B58")]
    [InlineData("NL100000060B01")]
    [InlineData("NL004495445C01")]
    public void Dutch_VAT_number_with_wrong_check_digits_is_rejected(string value) =>
        Assert.False(Check("NL", IdentifierKind.VatNumber, value).IsValid);

    [Theory]
    [InlineData("111222333", true)]
    [InlineData("1112.22.333", true)]
    [InlineData("123456782", true)]
    [InlineData("111252333", false)]
    [InlineData("000000000", false)]
    public void Dutch_BSN_passes_the_elfproef(string value, bool valid) =>
        Assert.Equal(valid, Check("NL", IdentifierKind.PersonalNumber, value).IsValid);

    [Theory]
    [InlineData("12345678", true)]
    [InlineData("1234567", false)]
    [InlineData("1234567A", false)]
    public void Dutch_KvK_number_has_eight_digits(string value, bool valid) =>
        Assert.Equal(valid, Check("NL", IdentifierKind.CompanyNumber, value).IsValid);

    [Fact]
    public void Dutch_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF31 2026 0001", Plugin("NL").PaymentReference(20260001));

    [Theory]
    [InlineData("NL002455799B11", true)]
    [InlineData("NL123456789B90", false)]
    public void NlBtw_IsValid_checks_the_Dutch_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("NL", "IsValid", number));
}
