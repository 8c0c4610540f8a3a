using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

/// <summary>
/// The fields Create and Edit share, with the checks that need the client's country: its plugin's VAT and company
/// number validators and its legal forms in force today. A client's legal form and VAT number decide how its invoices are taxed.
/// </summary>
public abstract class ClientFields : IValidatableObject
{
    [Required, StringLength(2, MinimumLength = 2), Display(Name = "Country")]
    public string Country { get; set; } = "";

    [Display(Name = "Kind")]
    public ClientKind Kind { get; set; } = ClientKind.Business;

    [Required, StringLength(200), Display(Name = "Name")]
    public string Name { get; set; } = "";

    [StringLength(20), Display(Name = "Legal form")]
    public string? LegalForm { get; set; }

    [StringLength(40), Display(Name = "VAT number")]
    public string? VatNumber { get; set; }

    [StringLength(40), Display(Name = "Company number")]
    public string? CompanyNumber { get; set; }

    [StringLength(300), Display(Name = "Address")]
    public string? Address { get; set; }

    [StringLength(100), Display(Name = "City")]
    public string? City { get; set; }

    [EmailAddress, StringLength(200), Display(Name = "E-mail")]
    public string? Email { get; set; }

    [StringLength(20), Display(Name = "Postal code")]
    public string? PostalCode { get; set; }

    [StringLength(4), RegularExpression("^[0-9]{4}$", ErrorMessage = "A Peppol scheme is 4 digits (e.g. 0208)."), Display(Name = "Peppol scheme")]
    public string? PeppolScheme { get; set; }

    [StringLength(50), Display(Name = "Peppol identifier")]
    public string? PeppolId { get; set; }

    [StringLength(7, MinimumLength = 6), RegularExpression(CodiceDestinatarioPattern, ErrorMessage = "A codice destinatario has 6 or 7 letters and digits."), Display(Name = "Codice destinatario")]
    public string? CodiceDestinatario { get; set; }

    /// <summary>The SdI channel code's shape, as the client form and the render API check it.</summary>
    public const string CodiceDestinatarioPattern = "^[A-Za-z0-9]{6,7}$";

    [EmailAddress, StringLength(200), Display(Name = "PEC")]
    public string? Pec { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(GetType(), factory) : null;
        string T(string text, params object[] arguments) =>
            string.Format(CultureInfo.CurrentCulture, texts?[text] ?? text, arguments);

        var catalog = context.GetService(typeof(PluginCatalog)) as PluginCatalog;
        var plugin = catalog?.Find(Country);
        if (plugin is null)
        {
            yield return new ValidationResult(T("{0} is not a country of the intranet.", Country), [nameof(Country)]);
            yield break;
        }
        if (!Enum.IsDefined(Kind))
            yield return new ValidationResult(T("Choose a kind of client."), [nameof(Kind)]);

        if (!string.IsNullOrWhiteSpace(LegalForm))
        {
            if (Kind == ClientKind.Individual)
                yield return new ValidationResult(T("An individual has no legal form."), [nameof(LegalForm)]);
            else if (context.GetService(typeof(RuleBook)) is RuleBook book && context.GetService(typeof(TimeProvider)) is TimeProvider clock
                && ClientLegalForms.Find(book, Country, ClientLegalForms.Today(clock), LegalForm) is null)
                yield return new ValidationResult(T("{0} is not a legal form of {1} in force today.", LegalForm.Trim(), plugin.Manifest.Country), [nameof(LegalForm)]);
        }

        if (Check(plugin, IdentifierKind.VatNumber, VatNumber) is { IsValid: false } vat)
            yield return new ValidationResult(T("Not a valid VAT number of {0}: {1}", plugin.Manifest.Country, plugin.Manifest.Translate(vat.Problem ?? "", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)), [nameof(VatNumber)]);
        if (Check(plugin, IdentifierKind.CompanyNumber, CompanyNumber) is { IsValid: false } company)
            yield return new ValidationResult(T("Not a valid company number of {0}: {1}", plugin.Manifest.Country, plugin.Manifest.Translate(company.Problem ?? "", CultureInfo.CurrentUICulture.TwoLetterISOLanguageName)), [nameof(CompanyNumber)]);
        if (string.IsNullOrWhiteSpace(PeppolScheme) != string.IsNullOrWhiteSpace(PeppolId))
            yield return new ValidationResult(T("Give both the Peppol scheme and the identifier, or neither."), [nameof(PeppolId)]);
    }

    /// <summary>The client as these fields describe it, identifiers in the plugin's normalised form; call after validation.</summary>
    public Client ToClient(PluginCatalog catalog, RuleBook book, DateOnly today)
    {
        var plugin = catalog.Find(Country);
        var legalForm = Kind == ClientKind.Individual || string.IsNullOrWhiteSpace(LegalForm)
            ? null
            : ClientLegalForms.Find(book, Country, today, LegalForm)?.Code ?? LegalForm.Trim();
        var client = new Client
        {
            Country = CountryCode.Normalise(Country),
            Kind = Kind,
            Name = Name.Trim(),
            LegalForm = legalForm,
            VatNumber = Normalised(plugin, IdentifierKind.VatNumber, VatNumber),
            CompanyNumber = Normalised(plugin, IdentifierKind.CompanyNumber, CompanyNumber),
            Address = Trimmed(Address),
            City = Trimmed(City),
            Email = Trimmed(Email),
            PostalCode = Trimmed(PostalCode),
            CodiceDestinatario = Trimmed(CodiceDestinatario)?.ToUpperInvariant(),
            Pec = Trimmed(Pec),
        };
        return WithPeppol(client, plugin);
    }

    /// <summary>The participant typed in, else the one the country's plugin derives from the company or VAT number (Belgium: 0208).</summary>
    private Client WithPeppol(Client client, CountryPluginInfo? plugin)
    {
        if (Trimmed(PeppolScheme) is { } scheme && Trimmed(PeppolId) is { } id) return client with { PeppolScheme = scheme, PeppolId = id };
        if (client.Kind == ClientKind.Individual) return client;
        var derived = plugin?.Plugin.PeppolParticipant(client.CompanyNumber, client.VatNumber);
        return client with { PeppolScheme = derived?.Scheme, PeppolId = derived?.Id };
    }

    /// <summary>Fills the fields from a stored client.</summary>
    protected void Read(Client client)
    {
        (Country, Kind, Name, LegalForm, VatNumber, CompanyNumber, Address, City, Email) =
            (client.Country, client.Kind, client.Name, client.LegalForm, client.VatNumber, client.CompanyNumber, client.Address, client.City, client.Email);
        (PostalCode, PeppolScheme, PeppolId, CodiceDestinatario, Pec) = (client.PostalCode, client.PeppolScheme, client.PeppolId, client.CodiceDestinatario, client.Pec);
    }

    /// <summary>None when the value is empty or the country's plugin has no validator of that kind.</summary>
    private static IdentifierCheck? Check(CountryPluginInfo? plugin, IdentifierKind kind, string? value) =>
        string.IsNullOrWhiteSpace(value) || plugin?.Plugin.Validators.GetValueOrDefault(kind) is not { } validator
            ? null
            : validator.Check(value.Trim());

    private static string? Normalised(CountryPluginInfo? plugin, IdentifierKind kind, string? value) =>
        Check(plugin, kind, value) is { IsValid: true, Normalised: { } normalised } ? normalised : Trimmed(value)?.ToUpperInvariant();

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
