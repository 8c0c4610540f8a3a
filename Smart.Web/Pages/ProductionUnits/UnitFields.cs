using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

// Top level, as every form-fields type: its labels and messages read its partial's texts (Resources/Pages/ProductionUnits/_UnitFields.*.resx).
/// <summary>The fields Create and Edit share: a name, its owner member, a known sector and a status. The budget is the ledger's, never typed.</summary>
public abstract class UnitFields : IValidatableObject
{
    [Required, StringLength(200), Display(Name = "Name")]
    public string Name { get; set; } = "";

    [Required, StringLength(2), Display(Name = "Country")]
    public string Country { get; set; } = "";

    [Required, Display(Name = "Member number")]
    public int? MemberId { get; set; }

    [Required, Display(Name = "Sector")]
    public string Sector { get; set; } = "";

    [Display(Name = "Status")]
    public ProductionUnitStatus Status { get; set; } = ProductionUnitStatus.Active;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(UnitFields), factory) : null;
        string T(string text) => texts?[text] ?? text;
        if ((context.GetService(typeof(PluginCatalog)) as PluginCatalog)?.Find(Country) is null)
            yield return new ValidationResult(string.Format(CultureInfo.CurrentCulture, T("{0} is not a country of the intranet."), Country), [nameof(Country)]);
        if (!MemberSectors.IsKnown(Sector))
            yield return new ValidationResult(T("Choose a sector from the list."), [nameof(Sector)]);
        if (!Enum.IsDefined(Status))
            yield return new ValidationResult(T("Choose a status from the list."), [nameof(Status)]);
    }

    /// <summary>
    /// The owner must be a member the user may see, of the unit's country; a member of another country is refused like a missing one,
    /// so the field never tells which ids exist elsewhere.
    /// </summary>
    public async Task CheckOwnerAsync<TCommand>(IMemberStore members, CurrentUser user, IStringLocalizerFactory localizers, CancellationToken cancellationToken)
    {
        var owner = await members.GetAsync(MemberId!.Value, cancellationToken);
        if (owner is null || !user.CanSee(owner.Country) || !string.Equals(owner.Country, Country, StringComparison.OrdinalIgnoreCase))
            throw RequestValidationException.For<TCommand>(nameof(MemberId),
                PageResources.For(typeof(UnitFields), localizers)["No member of this country has this number."]);
    }

    public ProductionUnit ToUnit(ProductionUnit? stored, DateOnly today) => (stored ?? new ProductionUnit { Country = "", Name = "", Sector = "", Created = today }) with
    {
        Country = CountryCode.Normalise(Country),
        Name = Name.Trim(),
        MemberId = MemberId!.Value,
        Sector = Sector,
        Status = Status,
    };

    public void CopyFrom(ProductionUnit unit)
    {
        Name = unit.Name;
        Country = unit.Country;
        MemberId = unit.MemberId;
        Sector = unit.Sector;
        Status = unit.Status;
    }
}
