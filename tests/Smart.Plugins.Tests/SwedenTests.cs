using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class SwedenTests
{
    [Theory]
    [InlineData("880320-0016", "880320-0016")]
    [InlineData("8803200016", "880320-0016")]
    [InlineData("880320+0016", "880320+0016")]
    [InlineData("121212-1212", "121212-1212")]
    [InlineData("19811228-9841", "19811228-9841")]
    // Samordningsnummer: the day plus 60.
    [InlineData("880380-0013", "880380-0013")]
    public void Swedish_personnummer_with_valid_check_digit_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("SE", IdentifierKind.PersonalNumber, value).Normalised);

    [Theory]
    [InlineData("880320-0018")]
    [InlineData("881320-0016")]
    [InlineData("880320-001")]
    public void Swedish_personnummer_with_wrong_check_digit_or_date_is_rejected(string value) =>
        Assert.False(Check("SE", IdentifierKind.PersonalNumber, value).IsValid);

    [Theory]
    [InlineData("1234567897", true)]
    [InlineData("123456-7897", true)]
    [InlineData("1234567891", false)]
    public void Swedish_organisationsnummer_check_digit_is_verified(string value, bool valid) =>
        Assert.Equal(valid, Check("SE", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("SE123456789701", true)]
    [InlineData("SE 1234567897 01", true)]
    [InlineData("SE123456789702", false)]
    [InlineData("SE123456789101", false)]
    public void Swedish_VAT_number_is_SE_organisationsnummer_and_01(string value, bool valid) =>
        Assert.Equal(valid, Check("SE", IdentifierKind.VatNumber, value).IsValid);

    [Fact]
    public void Swedish_payment_reference_is_an_OCR_number_with_a_Luhn_check_digit() =>
        Assert.Equal("20260001233", Plugin("SE").PaymentReference(2026000123));

    [Theory]
    [InlineData("20260001233", true)]
    [InlineData("20260001234", false)]
    public void Swedish_OCR_reference_with_wrong_check_digit_is_rejected(string value, bool valid) =>
        Assert.Equal(valid, Check("SE", IdentifierKind.PaymentReference, value).IsValid);

    [Theory]
    [InlineData("SE123456789701", true)]
    [InlineData("SE123456789101", false)]
    public void SeMoms_IsValid_checks_the_Swedish_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("SE", "IsValid", number));
}
