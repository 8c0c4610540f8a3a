using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Members;

// Top level, as every form-fields type: its labels and messages read its partial's texts (Resources/Pages/Members/_MemberFields.*.resx).
/// <summary>
/// The fields Create and Edit share and the rules between them: the national number checked by the country's plugin
/// (free text where the plugin has no validator for it), a known sector, a birth date not in the future.
/// </summary>
public abstract class MemberFields : IValidatableObject
{
    [Required, StringLength(100), Display(Name = "First name")]
    public string FirstName { get; set; } = "";

    [Required, StringLength(100), Display(Name = "Last name")]
    public string LastName { get; set; } = "";

    [Required, EmailAddress, StringLength(200), Display(Name = "E-mail")]
    public string Email { get; set; } = "";

    [Required, StringLength(2), Display(Name = "Country")]
    public string Country { get; set; } = "";

    [StringLength(50), Display(Name = "National number")]
    public string? NationalNumber { get; set; }

    [Required, Display(Name = "Birth date")]
    public DateOnly? BirthDate { get; set; }

    [Required, Display(Name = "Sector")]
    public string Sector { get; set; } = "";

    [Required, StringLength(100), Display(Name = "Office")]
    public string Office { get; set; } = "";

    [Required, Display(Name = "Member since")]
    public DateOnly? MemberSince { get; set; }

    [Display(Name = "Author rights this year")]
    public decimal AuthorRightsYearToDate { get; set; }

    [Display(Name = "Professional income this year")]
    public decimal ProfessionalIncomeYearToDate { get; set; }

    [Display(Name = "Artist attestation")]
    public bool HasArtistAttestation { get; set; }

    [Display(Name = "Language of letters")]
    public string? Language { get; set; }

    [Display(Name = "Active")]
    public bool Active { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        // The folder's messages live with its list page, Resources/Pages/Members/Index.*.resx.
        var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(MemberFields), factory) : null;
        string T(string text) => texts?[text] ?? text;
        var today = DateOnly.FromDateTime((context.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetLocalNow().DateTime);
        var catalog = context.GetService(typeof(PluginCatalog)) as PluginCatalog;

        var plugin = catalog?.Find(Country);
        if (plugin is null)
            yield return new ValidationResult(string.Format(CultureInfo.CurrentCulture, T("{0} is not a country of the intranet."), Country), [nameof(Country)]);
        if (!MemberSectors.IsKnown(Sector))
            yield return new ValidationResult(T("Choose a sector from the list."), [nameof(Sector)]);
        if (BirthDate > today)
            yield return new ValidationResult(T("The birth date cannot be in the future."), [nameof(BirthDate)]);
        if (AuthorRightsYearToDate < 0)
            yield return new ValidationResult(T("Author rights cannot be negative."), [nameof(AuthorRightsYearToDate)]);
        if (ProfessionalIncomeYearToDate < 0)
            yield return new ValidationResult(T("Professional income cannot be negative."), [nameof(ProfessionalIncomeYearToDate)]);
        if (!string.IsNullOrEmpty(Language) && !Member.Languages.ContainsKey(Language))
            yield return new ValidationResult(T("Choose a language from the list."), [nameof(Language)]);
        if (plugin?.Plugin.Validators.GetValueOrDefault(IdentifierKind.PersonalNumber) is { } validator)
        {
            if (string.IsNullOrWhiteSpace(NationalNumber))
                yield return new ValidationResult(T("Give the member's national number."), [nameof(NationalNumber)]);
            else if (!validator.Check(NationalNumber).IsValid)
                yield return new ValidationResult(T("This is not a valid national number for the country: check its digits."), [nameof(NationalNumber)]);
        }
    }

    /// <summary>The national number as stored: the plugin's normalised form, or the trimmed text where the country has no validator.</summary>
    public string? StoredNationalNumber(PluginCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(NationalNumber)) return null;
        return catalog.Find(Country)?.Plugin.Validators.GetValueOrDefault(IdentifierKind.PersonalNumber) is { } validator
            ? validator.Check(NationalNumber).Normalised
            : NationalNumber.Trim();
    }

    /// <summary>The member these fields describe, keeping what the form does not show (id, version) from <paramref name="stored"/>.</summary>
    public Member ToMember(Member? stored, PluginCatalog catalog) => (stored ?? new Member
    {
        Country = "", FirstName = "", LastName = "", Email = "", Sector = "", Office = "",
    }) with
    {
        Country = CountryCode.Normalise(Country),
        FirstName = FirstName.Trim(),
        LastName = LastName.Trim(),
        Email = Email.Trim(),
        NationalNumber = StoredNationalNumber(catalog),
        BirthDate = BirthDate!.Value,
        Sector = Sector,
        Office = Office.Trim(),
        MemberSince = MemberSince!.Value,
        AuthorRightsYearToDate = AuthorRightsYearToDate,
        ProfessionalIncomeYearToDate = ProfessionalIncomeYearToDate,
        HasArtistAttestation = HasArtistAttestation,
        Language = string.IsNullOrEmpty(Language) ? null : Language,
        Active = Active,
    };

    public void CopyFrom(Member member)
    {
        FirstName = member.FirstName;
        LastName = member.LastName;
        Email = member.Email;
        Country = member.Country;
        NationalNumber = member.NationalNumber;
        BirthDate = member.BirthDate;
        Sector = member.Sector;
        Office = member.Office;
        MemberSince = member.MemberSince;
        AuthorRightsYearToDate = member.AuthorRightsYearToDate;
        ProfessionalIncomeYearToDate = member.ProfessionalIncomeYearToDate;
        HasArtistAttestation = member.HasArtistAttestation;
        Language = member.Language;
        Active = member.Active;
    }
}
