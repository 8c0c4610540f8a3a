using System.Numerics;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Tests;

public class EInvoiceIdentityTests
{
    [Fact]
    public void Every_issuer_ships_a_demo_identity_that_passes_its_country_check_digits()
    {
        foreach (var info in InstalledPlugins.Catalog.Plugins)
            foreach (var issuer in info.Manifest.Issuers)
            {
                var where = $"{info.Manifest.Country}/{issuer.Id}";
                Assert.True(issuer.Demo, $"{where} says it is demo");
                Assert.True(info.Plugin.Validators[IdentifierKind.VatNumber].Check(issuer.VatNumber!).IsValid, $"{where} VAT number {issuer.VatNumber}");
                Assert.True(info.Plugin.Validators[IdentifierKind.CompanyNumber].Check(issuer.CompanyNumber!).IsValid, $"{where} company number {issuer.CompanyNumber}");
                Assert.True(IbanIsValid(issuer.Iban!), $"{where} IBAN {issuer.Iban}");
                Assert.StartsWith(info.Manifest.Country == "IT" ? "IT" : info.Manifest.Country, issuer.Iban!);
                Assert.Matches("^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", issuer.Bic!);
                Assert.NotNull(issuer.PeppolEndpoint);
                Assert.Equal(info.Manifest.Country, issuer.PostalAddress!.Country);
            }
    }

    [Fact]
    public void A_Belgian_company_is_reached_on_Peppol_at_0208_and_its_enterprise_number()
    {
        var belgium = InstalledPlugins.Plugin("BE");
        Assert.Equal(new ElectronicAddress("0208", "0428759497"), belgium.PeppolParticipant("0428.759.497", null));
        Assert.Equal(new ElectronicAddress("0208", "0428759497"), belgium.PeppolParticipant(null, "BE 0428 759 497"));
        Assert.Null(belgium.PeppolParticipant(null, null));
        Assert.Equal(new ElectronicAddress("0208", "0999000030"), InstalledPlugins.Catalog.Find("BE")!.Manifest.DefaultIssuer.PeppolEndpoint);
    }

    [Fact]
    public void A_Belgian_enterprise_number_with_check_digits_98_for_01_is_refused_as_Peppol_refuses_it()
    {
        // 03350573 mod 97 = 96: the check digits are 01; 98 is congruent but was accepted until Peppol's own check refused it.
        Assert.True(InstalledPlugins.Check("BE", IdentifierKind.CompanyNumber, "0335057301").IsValid);
        Assert.False(InstalledPlugins.Check("BE", IdentifierKind.CompanyNumber, "0335057398").IsValid);
    }

    [Fact]
    public void Italy_provides_FatturaPA_and_the_others_the_shared_Peppol_format()
    {
        Assert.Equal("fatturapa", InstalledPlugins.Plugin("IT").EInvoiceFormat?.Name);
        Assert.All(new[] { "BE", "FR", "SE", "DE", "AT", "NL", "ES" }, country => Assert.Null(InstalledPlugins.Plugin(country).EInvoiceFormat));
    }

    private static bool IbanIsValid(string iban)
    {
        var compact = iban.Replace(" ", "", StringComparison.Ordinal);
        var digits = string.Concat((compact[4..] + compact[..4]).Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }
}
