using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class BelgiumTests
{
    [Theory]
    [InlineData("BE 0428759497", "BE0428759497")]
    [InlineData("BE428759497", "BE0428759497")]
    [InlineData("BE0403019261", "BE0403019261")]
    [InlineData("0428.759.497", "BE0428759497")]
    public void Belgian_VAT_number_with_valid_check_digits_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("BE", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("BE0431150351")]
    [InlineData("BE2428759497")]
    [InlineData("BE04287594")]
    [InlineData("")]
    public void Belgian_VAT_number_with_wrong_check_digits_or_format_is_rejected(string value) =>
        Assert.False(Check("BE", IdentifierKind.VatNumber, value).IsValid);

    [Theory]
    [InlineData("0428759497", "0428.759.497")]
    [InlineData("BE 0403.019.261", "0403.019.261")]
    public void Belgian_enterprise_number_is_formatted_0xxx_xxx_xxx(string value, string normalised) =>
        Assert.Equal(normalised, Check("BE", IdentifierKind.CompanyNumber, value).Normalised);

    [Fact]
    public void Belgian_enterprise_number_with_wrong_check_digits_is_rejected() =>
        Assert.False(Check("BE", IdentifierKind.CompanyNumber, "0431.150.351").IsValid);

    [Theory]
    [InlineData("85.07.30-033.28", "85.07.30-033.28")]
    [InlineData("17.07.30-033.84", "17.07.30-033.84")]
    [InlineData("01010100225", "01.01.01-002.25")]
    public void Belgian_national_register_number_is_accepted_with_the_2_prefix_for_births_from_2000(string value, string normalised) =>
        Assert.Equal(normalised, Check("BE", IdentifierKind.PersonalNumber, value).Normalised);

    [Theory]
    [InlineData("12345678901")]
    [InlineData("85.07.30-033.29")]
    [InlineData("85.13.30-033.28")]
    public void Belgian_national_register_number_with_wrong_check_digits_is_rejected(string value) =>
        Assert.False(Check("BE", IdentifierKind.PersonalNumber, value).IsValid);

    [Theory]
    [InlineData("+++010/8068/17183+++", "+++010/8068/17183+++")]
    [InlineData("010806817183", "+++010/8068/17183+++")]
    [InlineData("***123/4567/89002***", "+++123/4567/89002+++")]
    [InlineData("+++000/0000/09797+++", "+++000/0000/09797+++")]
    public void Belgian_structured_communication_with_valid_check_digits_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("BE", IdentifierKind.PaymentReference, value).Normalised);

    [Theory]
    [InlineData("010/8068/17180")]
    [InlineData("+++123/4567/89012+++")]
    [InlineData("+++000/0000/00000+++")]
    [InlineData("+++123/4567/8900+++")]
    public void Belgian_structured_communication_with_wrong_check_digits_is_rejected(string value) =>
        Assert.False(Check("BE", IdentifierKind.PaymentReference, value).IsValid);

    [Theory]
    [InlineData(1234567890, "+++123/4567/89002+++")]
    [InlineData(108068171, "+++010/8068/17183+++")]
    [InlineData(2025000042, "+++202/5000/04209+++")]
    [InlineData(97, "+++000/0000/09797+++")]
    public void Belgian_payment_reference_is_a_structured_communication_on_the_zero_padded_number(long number, string expected) =>
        Assert.Equal(expected, Plugin("BE").PaymentReference(number));

    [Fact]
    public void Belgian_payment_reference_refuses_a_number_longer_than_ten_digits() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Plugin("BE").PaymentReference(10_000_000_000));

    [Theory]
    [InlineData("BE0428759497", true)]
    [InlineData("BE 0428.759.497", true)]
    [InlineData("BE0431150351", false)]
    [InlineData(null, false)]
    public void BeVat_IsValid_checks_the_Belgian_VAT_number(string? number, bool expected) =>
        Assert.Equal(expected, CallHelper("BE", "IsValid", number));
}
