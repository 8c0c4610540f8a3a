using Smart.Rules.Plugins;
using static Smart.Plugins.Tests.InstalledPlugins;

namespace Smart.Plugins.Tests;

public class FranceTests
{
    [Theory]
    [InlineData("404833048")]
    [InlineData("552 008 443")]
    [InlineData("443121975")]
    [InlineData("73282932000074")]
    [InlineData("35600000000048")]
    // La Poste: digit sum divisible by 5 instead of Luhn.
    [InlineData("35600000010000")]
    public void French_SIREN_or_SIRET_with_valid_check_digit_is_accepted(string value) =>
        Assert.True(Check("FR", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("404833047")]
    [InlineData("73282932000079")]
    [InlineData("35600000010001")]
    [InlineData("4048330480")]
    public void French_SIREN_or_SIRET_with_wrong_check_digit_is_rejected(string value) =>
        Assert.False(Check("FR", IdentifierKind.CompanyNumber, value).IsValid);

    [Theory]
    [InlineData("FR46443121975", "FR46443121975")]
    [InlineData("FR44732829320", "FR44732829320")]
    [InlineData("Fr 40 303 265 045", "FR40303265045")]
    [InlineData("FRK7399859412", "FRK7399859412")]
    [InlineData("FR4Z123456782", "FR4Z123456782")]
    public void French_VAT_number_whose_key_matches_the_SIREN_is_accepted(string value, string normalised) =>
        Assert.Equal(normalised, Check("FR", IdentifierKind.VatNumber, value).Normalised);

    [Theory]
    [InlineData("FR84323140391")]
    [InlineData("FR45443121975")]
    [InlineData("FRIO334175221")]
    [InlineData("FR46443121976")]
    public void French_VAT_number_with_wrong_key_is_rejected(string value) =>
        Assert.False(Check("FR", IdentifierKind.VatNumber, value).IsValid);

    [Theory]
    [InlineData("2 95 10 99 126 111 93", "2 95 10 99 126 111 93")]
    [InlineData("253072B07300470", "2 53 07 2B 073 004 70")]
    [InlineData("253072A07300443", "2 53 07 2A 073 004 43")]
    [InlineData("185057512345673", "1 85 05 75 123 456 73")]
    [InlineData("185052A12345633", "1 85 05 2A 123 456 33")]
    public void French_NIR_with_valid_key_is_accepted_including_Corsica(string value, string normalised) =>
        Assert.Equal(normalised, Check("FR", IdentifierKind.PersonalNumber, value).Normalised);

    [Theory]
    [InlineData("295109912611199")]
    [InlineData("253072C07300443")]
    [InlineData("185052A12345673")]
    [InlineData("6546546546546703")]
    public void French_NIR_with_wrong_key_or_department_is_rejected(string value) =>
        Assert.False(Check("FR", IdentifierKind.PersonalNumber, value).IsValid);

    [Fact]
    public void French_payment_reference_is_an_RF_creditor_reference() =>
        Assert.Equal("RF46 2026 0001 23", Plugin("FR").PaymentReference(2026000123));

    [Theory]
    [InlineData("RF18 5390 0754 7034", true)]
    [InlineData("RF462026000123", true)]
    [InlineData("RF17 5390 0754 7034", false)]
    public void French_creditor_reference_check_digits_are_verified(string value, bool valid) =>
        Assert.Equal(valid, Check("FR", IdentifierKind.PaymentReference, value).IsValid);

    [Theory]
    [InlineData("FR46443121975", true)]
    [InlineData("FR84323140391", false)]
    public void FrTva_IsValid_checks_the_French_VAT_number(string number, bool expected) =>
        Assert.Equal(expected, CallHelper("FR", "IsValid", number));
}
