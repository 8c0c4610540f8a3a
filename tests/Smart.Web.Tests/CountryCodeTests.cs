using System.Text.RegularExpressions;

namespace Smart.Web.Tests;

public sealed class CountryCodeTests
{
    [Theory]
    [InlineData("BE", "BE")]
    [InlineData("be", "BE")]
    [InlineData(" fR ", "FR")]
    public void Two_letters_in_any_case_read_as_one_upper_case_code(string text, string expected)
    {
        Assert.True(CountryCode.TryParse(text, out var code));
        Assert.Equal(expected, code.Value);
        Assert.Equal(CountryCode.Parse(expected), code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("B")]
    [InlineData("BEL")]
    [InlineData("B1")]
    [InlineData("É1")]
    [InlineData("ÉS")]
    public void Anything_but_two_ASCII_letters_is_not_a_country(string? text)
    {
        Assert.False(CountryCode.TryParse(text, out _));
        Assert.False(CountryCode.IsWellFormed(text));
        if (text is not null) Assert.Throws<FormatException>(() => CountryCode.Parse(text));
    }

    [Fact]
    public void A_request_field_must_be_exactly_two_letters_while_a_typed_value_may_carry_spaces()
    {
        Assert.True(CountryCode.IsWellFormed("it"));
        Assert.False(CountryCode.IsWellFormed(" it"));
        Assert.True(CountryCode.TryParse(" it", out var code));
        Assert.Equal("IT", (string)code);
    }

    [Fact]
    public void Stored_and_compared_values_keep_their_string_with_one_spelling()
    {
        Assert.Equal("BE", CountryCode.Normalise(" be "));
        Assert.Equal("XYZ", CountryCode.Normalise("xyz"));   // a stored value that is not a code still matches itself, as before
        Assert.Null(CountryCode.NormaliseOrNull(null));
        Assert.Equal("", CountryCode.NormaliseOrNull("  "));
        Assert.Equal("", default(CountryCode).Value);
    }

    [Fact]
    public void A_country_scope_compares_countries_in_one_spelling()
    {
        var scope = Web.Storage.CountryScope.Only(" be", "fr");

        Assert.True(scope.Includes("BE"));
        Assert.True(scope.Includes("Fr"));
        Assert.False(scope.Includes("IT"));
    }

    [Fact]
    public void No_country_is_upper_cased_by_hand_in_the_app()
    {
        var project = Path.Combine(Repo.Root, "Smart.Web");
        var byHand = (from file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
                      let relative = Path.GetRelativePath(project, file)
                      where relative.Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj" or "node_modules") && relative != "CountryCode.cs"
                      from line in File.ReadLines(file).Select((text, index) => (text, index))
                      where Regex.IsMatch(line.text, @"countr\w*[\w.?!()\]]*\.(Trim\(\)\.)?ToUpperInvariant\(\)", RegexOptions.IgnoreCase)
                      select $"{relative}:{line.index + 1}").ToList();

        Assert.Empty(byHand);
    }
}
