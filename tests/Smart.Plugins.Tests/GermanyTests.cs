using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class GermanyTests
{
    [Theory]
    [InlineData("DE136695976", "DE136695976")]
    [InlineData("DE 136,695 976", "DE136695976")]
    [InlineData("811628952", "DE811628952")]
    public void German_USt_IdNr_with_valid_check_digit_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("DE", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("136695978")]
    [InlineData("DE036695976")]
    [InlineData("DE13669597")]
    public void German_USt_IdNr_with_wrong_check_digit_is_rejected(string value) =>
        Assert.False(Check("DE", IdentifierKind.VatNumber, value).IsValid);

    [Theory]
    [InlineData("HRB 12345", "HRB 12345")]
    [InlineData("hrb12345 b", "HRB 12345 B")]
    [InlineData("GnR 123", "GnR 123")]
    [InlineData("VR 4711", "VR 4711")]
    public void German_register_number_in_the_usual_format_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("DE", IdentifierKind.CompanyNumber, value).Normalised);

    [Theory]
    [InlineData("HRC 12345")]
    [InlineData("HRB")]
    [InlineData("12345")]
    public void German_register_number_without_register_type_is_rejected(string value) =>
        Assert.False(Check("DE", IdentifierKind.CompanyNumber, value).IsValid);

    [Fact]
    public void German_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF46 2026 0001 23", Plugin("DE").PaymentReference(2026000123));

    [Theory]
    [InlineData("DE136695976", true)]
    [InlineData("DE136695978", false)]
    public void DeUst_IsValid_checks_the_German_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("DE", "IsValid", number));
}
