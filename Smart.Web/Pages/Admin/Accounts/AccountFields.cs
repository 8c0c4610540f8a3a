using System.Globalization;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Localization;
using Smart.Web.Security;

namespace Smart.Web.Pages.Admin.Accounts;

/// <summary>The fields Create and Edit share, with the rules between them: a known role at least, known countries, one country for a partner administrator.</summary>
public abstract class AccountFields : IValidatableObject
{
    [Required, StringLength(100), Display(Name = "Display name")]
    public string DisplayName { get; set; } = "";

    [Display(Name = "Roles")]
    public List<string> Roles { get; set; } = [];

    /// <summary>Empty: every country.</summary>
    [Display(Name = "Countries")]
    public List<string> Countries { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        // The folder's messages live with its list page, Resources/Pages/Admin/Accounts/Index.*.resx.
        var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(IndexModel), factory) : null;
        string T(string text) => texts?[text] ?? text;

        if (Roles.Count == 0)
            yield return new ValidationResult(T("Choose at least one role."), [nameof(Roles)]);
        if (Roles.FirstOrDefault(r => !SmartRoles.IsKnown(r)) is { } unknownRole)
            yield return new ValidationResult(string.Format(CultureInfo.CurrentCulture, T("{0} is not a role."), unknownRole), [nameof(Roles)]);
        var catalog = context.GetService(typeof(PluginCatalog)) as PluginCatalog;
        if (Countries.FirstOrDefault(c => catalog?.Find(c) is null) is { } unknownCountry)
            yield return new ValidationResult(string.Format(CultureInfo.CurrentCulture, T("{0} is not a country of the intranet."), unknownCountry), [nameof(Countries)]);
        if (Roles.Contains(SmartRoles.PartnerAdmin) && Countries.Count != 1)
            yield return new ValidationResult(T("A partner administrator has exactly one country."), [nameof(Countries)]);
    }
}
