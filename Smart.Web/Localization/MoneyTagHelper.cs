using Microsoft.AspNetCore.Mvc.TagHelpers;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Smart.Web.Localization;

/// <summary><c>&lt;money amount="@x.Total" currency="@x.Currency" /&gt;</c> renders a span with the amount formatted by <see cref="Money"/> in the request's culture.</summary>
[HtmlTargetElement("money", TagStructure = TagStructure.WithoutEndTag)]
public sealed class MoneyTagHelper : TagHelper
{
    public decimal? Amount { get; set; }
    public string Currency { get; set; } = "EUR";
    /// <summary>Digits after the decimal separator (PluginManifest.MinorUnit); 2 for EUR and SEK.</summary>
    public int MinorUnit { get; set; } = 2;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = "span";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.AddClass("money", System.Text.Encodings.Web.HtmlEncoder.Default);
        output.Attributes.SetAttribute("data-currency", Currency.ToUpperInvariant());
        output.Content.SetContent(Amount is { } amount ? Money.Format(amount, Currency, minorUnit: MinorUnit) : "");
    }
}
