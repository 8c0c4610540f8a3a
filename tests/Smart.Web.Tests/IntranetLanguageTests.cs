using System.Net;
using Smart.Web.Localization;

namespace Smart.Web.Tests;

public class IntranetLanguageTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task The_language_picker_switches_to_French_and_remembers_it()
    {
        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var home = await browser.GetPageAsync("/");
        Assert.Equal("en", home.DocumentElement.GetAttribute("lang"));

        var response = await browser.SubmitAsync(home.Forms["language-picker"]!, ("culture", IntranetCultures.French));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        var french = await browser.FollowAsync(response);

        Assert.Equal("fr", french.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Bienvenue", french.QuerySelector("h1")!.TextContent);
        Assert.Equal("Se déconnecter", french.QuerySelector("#sign-out button")!.TextContent.Trim());
        Assert.Contains("Vos pays", (await browser.GetPageAsync("/")).Body!.TextContent);
    }

    [Fact]
    public async Task The_sign_in_page_speaks_Dutch_to_a_Dutch_browser()
    {
        using var browser = Browser.Open(app);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("nl-BE,nl;q=0.9");
        var page = await browser.GetPageAsync("/Account/SignIn");
        Assert.Equal("Aanmelden", page.QuerySelector("h1")!.TextContent.Trim());

        var refused = await Browser.DocumentAsync(await browser.SignInAsync("", ""));
        Assert.Equal("Het veld E-mail is verplicht.", refused.QuerySelector("[data-valmsg-for='Data.Email']")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_validation_message_is_shown_once_in_French()
    {
        using var browser = Browser.Open(app);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-BE");
        var refused = await Browser.DocumentAsync(await browser.SignInAsync("pas-une-adresse", "x"));
        Assert.Equal("Le champ E-mail n’est pas une adresse e-mail valide.", refused.QuerySelector("[data-valmsg-for='Data.Email']")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_refused_page_is_explained_in_the_chosen_language()
    {
        using var browser = await Browser.SignedInAsync(app, "staff@smart.coop");
        var home = await browser.GetPageAsync("/");
        await browser.SubmitAsync(home.Forms["language-picker"]!, ("culture", IntranetCultures.Dutch));
        var response = await browser.Client.GetAsync("/Admin/Accounts");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Equal("Geen toegang", page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Theory]
    [InlineData(IntranetCultures.French, "EUR", "1.234,56 €")]
    [InlineData(IntranetCultures.Dutch, "EUR", "1.234,56 €")]
    [InlineData(IntranetCultures.English, "EUR", "€1,234.56")]
    [InlineData(IntranetCultures.French, "SEK", "1.234,56 SEK")]
    [InlineData(IntranetCultures.English, "SEK", "SEK 1,234.56")]
    public void Money_reads_as_written_in_the_culture(string culture, string currency, string expected) =>
        Assert.Equal(expected, Money.Format(1234.56m, currency, IntranetCultures.Find(culture)));

    [Fact]
    public void Negative_amounts_keep_their_currency_after_the_number_in_French() =>
        Assert.Equal("-1.234,56 €", Money.Format(-1234.56m, "EUR", IntranetCultures.Find(IntranetCultures.French)));
}
