using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Smart.Web.Localization;

/// <summary>The intranet's three languages, as Belgian cultures so dates and money read as Belgian offices write them.</summary>
public static class IntranetCultures
{
    public const string English = "en-BE";
    public const string French = "fr-BE";
    public const string Dutch = "nl-BE";

    /// <summary>English first: the culture of a visitor who has not chosen and whose browser asks for none of the three.</summary>
    public static IReadOnlyList<CultureInfo> All { get; } = [Create(English), Create(French), Create(Dutch)];

    public static CultureInfo Find(string name) => All.First(c => c.Name == name);

    public static IServiceCollection AddIntranetLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(All[0]);
            options.SupportedCultures = All.ToList();
            options.SupportedUICultures = All.ToList();
            // The language picker's cookie first, then the browser's languages; no query string, so links never carry a language.
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    private static CultureInfo Create(string name)
    {
        var culture = new CultureInfo(name);
        if (name != English)
        {
            // The issue asks for 1.234,56 € as written in Belgium; CLDR gives fr-BE a narrow space and puts € first in nl-BE.
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.NumberFormat.CurrencyGroupSeparator = ".";
            culture.NumberFormat.CurrencyPositivePattern = 3;
            culture.NumberFormat.CurrencyNegativePattern = 8;
        }
        return CultureInfo.ReadOnly(culture);
    }
}
