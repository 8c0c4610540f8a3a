using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smart.Rules.Plugins;

/// <summary>plugin.json: who the country is, in one file a partner cooperative can read.</summary>
public sealed record PluginManifest
{
    public required string Country { get; init; }
    public required Dictionary<string, string> Names { get; init; }
    public required string Currency { get; init; }
    /// <summary>Digits of the currency's minor unit (2 for EUR and SEK).</summary>
    public int MinorUnit { get; init; } = 2;
    public required IReadOnlyList<string> Languages { get; init; }
    public required IReadOnlyList<IssuingEntity> Issuers { get; init; }
    /// <summary>The host version range this plugin was written for, e.g. "1.x"; a plugin for another major version is refused at load.</summary>
    public string HostVersion { get; init; } = PluginCatalog.HostVersion;
    /// <summary>File name of the plugin's assembly in its folder; none for a data-only plugin.</summary>
    public string? Assembly { get; init; }
    /// <summary>The cooperative's legal identity, printed on its invoices.</summary>
    public LegalIdentity? LegalIdentity { get; init; }

    /// <summary>
    /// The plugin's own messages (its validators' reasons, written in English in its code) in other languages: English text →
    /// language → text. A country's words belong to its plugin, so the host translates them from here, not from its resources.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Messages { get; init; } = [];

    /// <summary>A message of this plugin in the language (two letters), or as written when the manifest has no translation.</summary>
    public string Translate(string message, string language) =>
        Messages.TryGetValue(message, out var translations) && translations.TryGetValue(language, out var translated) ? translated : message;

    /// <summary>The same manifest with some issuers replaced (a deployment's own identities over the shipped demo values).</summary>
    public PluginManifest WithIssuers(Func<IssuingEntity, IssuingEntity> change) => this with { Issuers = Issuers.Select(change).ToList() };

    public IssuingEntity DefaultIssuer => Issuers.FirstOrDefault(i => i.Default) ?? Issuers[0];

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}

/// <summary>A legal entity of the country's cooperative that issues invoices (Belgium: the cooperative and its training body).</summary>
public sealed record IssuingEntity
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool Default { get; init; }
    /// <summary>A recognised training body whose training services are VAT-exempt under the country's law.</summary>
    public bool RecognisedTrainingBody { get; init; }
    public string? VatNumber { get; init; }
    public string? CompanyNumber { get; init; }
    public string? LegalForm { get; init; }
    public string? Address { get; init; }
    /// <summary>The postal address an e-invoice carries (BG-5); <see cref="Address"/> stays the line printed on paper.</summary>
    public PostalAddress? PostalAddress { get; init; }
    /// <summary>Where the entity receives e-invoices and answers (Peppol: EAS scheme and identifier, BT-34).</summary>
    public ElectronicAddress? PeppolEndpoint { get; init; }
    /// <summary>The account clients pay into (BT-84) and its bank's BIC (BT-86).</summary>
    public string? Iban { get; init; }
    public string? Bic { get; init; }
    /// <summary>Values that pass the check digits but identify nobody: a deployment sets the real ones in configuration (Smart:Issuers).</summary>
    public bool Demo { get; init; }
    /// <summary>Who answers for the entity's invoices (EN 16931 BG-6).</summary>
    public PartyContact? Contact { get; init; }
}

public sealed record PartyContact(string? Name, string? Phone, string? Email);

/// <summary>A postal address as EN 16931 splits it; <see cref="Country"/> is an ISO 3166-1 alpha-2 code.</summary>
public sealed record PostalAddress(string? Street, string? City, string? PostalCode, string Country);

/// <summary>An electronic address: an EAS scheme (ISO 6523 ICD, e.g. 0208 for a Belgian enterprise number) and the identifier in it.</summary>
public sealed record ElectronicAddress(string Scheme, string Id)
{
    public override string ToString() => $"{Scheme}:{Id}";
}

public sealed record LegalIdentity(string Name, string LegalForm, string? CompanyNumber, string? VatNumber, string Address);
