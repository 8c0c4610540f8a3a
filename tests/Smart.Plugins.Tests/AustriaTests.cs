using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class AustriaTests
{
    [Theory]
    [InlineData("ATU13585627", "ATU13585627")]
    [InlineData("AT U13585627", "ATU13585627")]
    [InlineData("U12345675", "ATU12345675")]
    public void Austrian_UID_with_valid_check_digit_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("AT", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("ATU13585626")]
    [InlineData("AT13585627")]
    [InlineData("ATU1358562")]
    public void Austrian_UID_with_wrong_check_digit_is_rejected(string value) =>
        Assert.False(Check("AT", IdentifierKind.VatNumber, value).IsValid);

    [Theory]
    [InlineData("FN 122119m", "FN 122119m")]
    [InlineData("122119M", "FN 122119m")]
    public void Austrian_Firmenbuchnummer_in_the_usual_format_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("AT", IdentifierKind.CompanyNumber, value).Normalised);

    [Theory]
    [InlineData("m123123")]
    [InlineData("abc")]
    [InlineData("FN 122119")]
    public void Austrian_Firmenbuchnummer_without_check_letter_is_rejected(string value) =>
        Assert.False(Check("AT", IdentifierKind.CompanyNumber, value).IsValid);

    [Fact]
    public void Austrian_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF74 1", Plugin("AT").PaymentReference(1));

    [Theory]
    [InlineData("ATU13585627", true)]
    [InlineData("ATU13585626", false)]
    public void AtUid_IsValid_checks_the_Austrian_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("AT", "IsValid", number));
}
