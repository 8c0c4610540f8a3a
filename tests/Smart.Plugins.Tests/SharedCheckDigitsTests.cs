using Smart.Rules.Plugins;

namespace Smart.Plugins.Tests;

public class SharedCheckDigitsTests
{
    [Theory]
    [InlineData("539007547034", "RF18539007547034")]
    [InlineData("2026000123", "RF462026000123")]
    [InlineData("1", "RF741")]
    public void Creditor_reference_check_digits_follow_ISO_11649(string reference, string expected) =>
        Assert.Equal(expected, CreditorReference.Create(reference));

    [Theory]
    [InlineData("RF18 5390 0754 7034", true)]
    [InlineData("RF18 5390 0754 70Y", true)]
    [InlineData("RF17 5390 0754 7034", false)]
    [InlineData("RX18539007547034", false)]
    [InlineData("RF18", false)]
    public void Creditor_reference_validation_moves_RF_and_check_digits_to_the_end(string value, bool valid) =>
        Assert.Equal(valid, CreditorReference.IsValid(value));

    [Fact]
    public void Creditor_reference_longer_than_21_characters_is_refused() =>
        Assert.Throws<ArgumentException>(() => CreditorReference.Create("1234567890123456789012"));

    [Theory]
    [InlineData("404833048", true)]
    [InlineData("404833047", false)]
    [InlineData("1234567897", true)]
    public void Luhn_check_matches_the_published_vectors(string digits, bool valid) =>
        Assert.Equal(valid, CheckDigits.IsLuhnValid(digits));

    [Theory]
    [InlineData("123456789", '7')]
    [InlineData("20260001", '1')]
    public void Luhn_check_digit_makes_the_number_valid(string digits, char expected)
    {
        Assert.Equal(expected, CheckDigits.LuhnCheckDigit(digits));
        Assert.True(CheckDigits.IsLuhnValid(digits + expected));
    }

    [Theory]
    [InlineData("13669597", '6')]
    [InlineData("81162895", '2')]
    public void ISO_7064_mod_11_10_check_digit_matches_the_German_vectors(string digits, char expected)
    {
        Assert.Equal(expected, CheckDigits.Mod11_10CheckDigit(digits));
        Assert.True(CheckDigits.IsMod11_10Valid(digits + expected));
        Assert.False(CheckDigits.IsMod11_10Valid(digits + (char)((expected - '0' + 1) % 10 + '0')));
    }

    [Theory]
    [InlineData("be 0403.170.701", ".-/", "BE0403170701")]
    [InlineData("  811-22\t33 ", "-", "8112233")]
    [InlineData(null, "-", "")]
    public void An_identifier_is_read_upper_case_without_spaces_or_its_separators(string? typed, string separators, string compact) =>
        Assert.Equal(compact, CheckDigits.Compact(typed, separators));

    [Fact]
    public void Digits_read_as_a_number_whatever_the_culture_and_refuse_a_sign()
    {
        Assert.Equal(403170701L, CheckDigits.Number("0403170701"));
        Assert.Throws<FormatException>(() => CheckDigits.Number("-1"));
    }

    /// <summary>The helpers several plugins need live once in Smart.Rules: a file copied from plugin to plugin is the duplicate this guards against.</summary>
    [Fact]
    public void No_source_file_is_copied_from_one_plugin_to_another()
    {
        static string Body(string file) => string.Join("\n", File.ReadLines(file).Where(l => !l.StartsWith("namespace ", StringComparison.Ordinal)).Select(l => l.Trim()));
        var copies = System.IO.Directory.EnumerateDirectories(Path.Combine(InstalledPlugins.RepoRoot, "plugins"))
            .SelectMany(plugin => System.IO.Directory.EnumerateFiles(plugin, "*.cs"))
            .GroupBy(Body)
            .Where(g => g.Count() > 1)
            .Select(g => string.Join(", ", g.Select(f => Path.GetRelativePath(InstalledPlugins.RepoRoot, f))))
            .ToList();
        Assert.True(copies.Count == 0, "The same file in several plugins; move it to Smart.Rules/Plugins: " + string.Join("; ", copies));
    }
}
