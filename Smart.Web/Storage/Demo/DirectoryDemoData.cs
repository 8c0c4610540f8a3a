using System.Text.Json;

namespace Smart.Web.Storage.Demo;

/// <summary>directory-demo.json: the names, places and identifier shapes the demo directory is generated from.</summary>
public sealed record DirectoryDemoData(DateOnly ReferenceDate, Dictionary<string, int> SectorWeights, Dictionary<string, DemoCountry> Countries)
{
    private const string ResourceName = "Smart.Web.Storage.Demo.directory-demo.json";

    public static DirectoryDemoData Load()
    {
        using var stream = typeof(DirectoryDemoData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<DirectoryDemoData>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
    }
}

public sealed record DemoCountry(
    int Since,
    int Members,
    int ProductionUnits,
    int Clients,
    int MembersNearAuthorRightsCeiling,
    Dictionary<string, int> Offices,
    string[] FirstNames,
    string[] LastNames,
    string[] Cities,
    string[] Streets,
    string AddressFormat,
    string[] ActivityNames,
    string[] ClientFirstWords,
    string[] ClientSecondWords,
    string[]? PublicNames,
    DemoIdentifierShapes Identifiers,
    // Where the country's e-invoices reach a business when its Peppol id cannot be derived (Italy: a codice destinatario for the SdI).
    string? ClientChannelCode = null);

/// <summary>The shape of each identifier, in <see cref="IdentifierShape"/>'s notation; a missing shape means the demo leaves that identifier empty.</summary>
public sealed record DemoIdentifierShapes(
    string? PersonalNumber,
    string? CompanyNumber,
    string? VatNumber,
    Dictionary<string, string>? CompanyNumberByLegalForm);
