using Smart.Rules.Plugins;

namespace Smart.Web.Hosting;

/// <summary>
/// A deployment's own identities over the demo values its plugins ship: <c>Smart:Issuers:{COUNTRY}:{issuer id}:{field}</c>
/// (VatNumber, CompanyNumber, Iban, Bic, Address, PeppolEndpoint:Scheme and :Id, PostalAddress:Street, :City, :PostalCode).
/// An issuer configured so is no longer demo unless the configuration says Demo=true.
/// </summary>
public static class IssuerIdentities
{
    public static PluginCatalog WithConfiguredIssuers(this PluginCatalog catalog, IConfiguration configuration) =>
        catalog.WithManifests(manifest => manifest.WithIssuers(issuer => Apply(configuration.GetSection($"Smart:Issuers:{manifest.Country}:{issuer.Id}"), issuer)));

    private static IssuingEntity Apply(IConfigurationSection section, IssuingEntity issuer)
    {
        if (!section.Exists()) return issuer;
        string? Value(string key) => section[key] is { Length: > 0 } value ? value.Trim() : null;
        var address = issuer.PostalAddress;
        var postal = section.GetSection("PostalAddress");
        if (postal.Exists())
            address = new PostalAddress(postal["Street"] ?? address?.Street, postal["City"] ?? address?.City, postal["PostalCode"] ?? address?.PostalCode,
                postal["Country"] ?? address?.Country ?? "");
        var endpoint = section.GetSection("PeppolEndpoint");
        return issuer with
        {
            Name = Value("Name") ?? issuer.Name,
            VatNumber = Value("VatNumber") ?? issuer.VatNumber,
            CompanyNumber = Value("CompanyNumber") ?? issuer.CompanyNumber,
            Address = Value("Address") ?? issuer.Address,
            Iban = Value("Iban") ?? issuer.Iban,
            Bic = Value("Bic") ?? issuer.Bic,
            PostalAddress = address,
            PeppolEndpoint = endpoint["Scheme"] is { Length: > 0 } scheme && endpoint["Id"] is { Length: > 0 } id ? new ElectronicAddress(scheme, id) : issuer.PeppolEndpoint,
            Demo = bool.TryParse(Value("Demo"), out var demo) && demo,
        };
    }
}
