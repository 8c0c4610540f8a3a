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
    /// <summary>The host version range this plugin was written for, e.g. "1.x".</summary>
    public string HostVersion { get; init; } = "1.x";
    /// <summary>File name of the plugin's assembly in its folder; none for a data-only plugin.</summary>
    public string? Assembly { get; init; }
    /// <summary>The cooperative's legal identity, printed on its invoices.</summary>
    public LegalIdentity? LegalIdentity { get; init; }

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
}

public sealed record LegalIdentity(string Name, string LegalForm, string? CompanyNumber, string? VatNumber, string Address);
