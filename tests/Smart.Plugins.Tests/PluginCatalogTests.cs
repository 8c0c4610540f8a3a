using Smart.Rules.Plugins;

namespace Smart.Plugins.Tests;

public sealed class PluginCatalogTests : IDisposable
{
    private static readonly string[] Countries = ["AT", "BE", "DE", "ES", "FR", "IT", "NL", "SE"];

    private readonly string temp = Directory.CreateTempSubdirectory("smart-plugins-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Catalog_finds_all_eight_country_plugins()
    {
        var catalog = InstalledPlugins.Catalog;

        Assert.Empty(catalog.Problems);
        Assert.Equal(Countries, catalog.Plugins.Select(p => p.Manifest.Country).Order());
        Assert.All(catalog.Plugins, p => Assert.Equal(p.Manifest.Country, p.Plugin.Country));
    }

    [Fact]
    public void Every_plugin_validates_all_its_identifiers_and_offers_one_prefixed_helper()
    {
        foreach (var info in InstalledPlugins.Catalog.Plugins)
        {
            Assert.Contains(IdentifierKind.VatNumber, info.Plugin.Validators.Keys);
            Assert.Contains(IdentifierKind.CompanyNumber, info.Plugin.Validators.Keys);
            Assert.Contains(IdentifierKind.PaymentReference, info.Plugin.Validators.Keys);
            var helper = Assert.Single(info.Plugin.ExpressionHelpers);
            Assert.True(helper.IsAbstract && helper.IsSealed, $"{helper.Name} should be a static class");
            Assert.StartsWith(info.Manifest.Country[..1] + info.Manifest.Country[1..].ToLowerInvariant(), helper.Name);
            Assert.False(InstalledPlugins.CallHelper(info.Manifest.Country, "IsValid", [null]) as bool?);
        }
    }

    [Fact]
    public void Payment_reference_of_every_plugin_passes_its_own_validator()
    {
        foreach (var info in InstalledPlugins.Catalog.Plugins)
        {
            foreach (var number in new long[] { 0, 1, 42, 2026000123, 9_999_999_999 })
            {
                var reference = info.Plugin.PaymentReference(number);
                Assert.True(info.Plugin.Validators[IdentifierKind.PaymentReference].Check(reference).IsValid, $"{info.Manifest.Country}: {reference}");
            }
        }
    }

    [Fact]
    public void Plugins_share_the_hosts_contract_and_load_in_their_own_context()
    {
        var belgium = InstalledPlugins.Plugin("BE");
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(belgium.GetType().Assembly);

        Assert.Equal("plugin:BE", context?.Name);
        Assert.Same(typeof(ICountryPlugin).Assembly, belgium.GetType().GetInterfaces().Single(i => i.Name == nameof(ICountryPlugin)).Assembly);
    }

    [Fact]
    public void Manifests_name_currency_languages_and_issuers()
    {
        foreach (var info in InstalledPlugins.Catalog.Plugins)
        {
            var manifest = info.Manifest;
            Assert.Equal(manifest.Country == "SE" ? "SEK" : "EUR", manifest.Currency);
            Assert.Equal(2, manifest.MinorUnit);
            Assert.Equal("1.x", manifest.HostVersion);
            Assert.Equal($"Smart.Plugins.{Path.GetFileName(info.Folder)}.dll", manifest.Assembly);
            Assert.All(new[] { "en", "fr", "nl" }, language => Assert.Contains(language, manifest.Names.Keys));
            Assert.NotEmpty(manifest.Languages);
            Assert.NotNull(manifest.LegalIdentity);
            Assert.True(manifest.DefaultIssuer.Default);
        }
    }

    [Fact]
    public void Belgium_declares_the_cooperative_as_default_and_Formateurs_Associes_as_recognised_training_body()
    {
        var manifest = InstalledPlugins.Catalog.Find("be")!.Manifest;

        Assert.Equal("smartcoop", manifest.DefaultIssuer.Id);
        var training = Assert.Single(manifest.Issuers, i => i.Id == "formateurs-associes");
        Assert.True(training.RecognisedTrainingBody);
        Assert.Equal("ASBL", training.LegalForm);
        Assert.False(manifest.DefaultIssuer.RecognisedTrainingBody);
    }

    [Fact]
    public void Find_ignores_case_and_returns_null_for_an_unknown_country()
    {
        Assert.Equal("SE", InstalledPlugins.Catalog.Find("se")?.Plugin.Country);
        Assert.Null(InstalledPlugins.Catalog.Find("LU"));
    }

    [Fact]
    public void Plugin_folder_dropped_into_plugins_directory_is_discovered()
    {
        CopyInstalled("Belgium");

        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Problems);
        var belgium = Assert.Single(catalog.Plugins);
        Assert.Equal(Path.Combine(temp, "Belgium"), belgium.Folder);
        Assert.Equal("+++123/4567/89002+++", belgium.Plugin.PaymentReference(1234567890));
    }

    [Fact]
    public void Data_only_plugin_with_just_a_manifest_loads_without_validators()
    {
        WriteManifest("Luxembourg", """
            {
              "country": "LU",
              "names": { "en": "Luxembourg", "fr": "Luxembourg", "nl": "Luxemburg", "lb": "Lëtzebuerg" },
              "currency": "EUR",
              "languages": [ "fr", "de", "lb" ],
              "issuers": [ { "id": "smart-lu", "name": "Smart Luxembourg", "default": true } ]
            }
            """);

        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Problems);
        var luxembourg = Assert.Single(catalog.Plugins);
        Assert.Equal("LU", luxembourg.Plugin.Country);
        Assert.Empty(luxembourg.Plugin.Validators);
        Assert.Empty(luxembourg.Plugin.ExpressionHelpers);
        Assert.Equal("2026000123", luxembourg.Plugin.PaymentReference(2026000123));
        Assert.Equal(2, luxembourg.Manifest.MinorUnit);
    }

    [Fact]
    public void Folder_with_broken_plugin_json_is_reported_and_skipped_while_the_others_load()
    {
        CopyInstalled("Belgium");
        CopyInstalled("Sweden");
        WriteManifest("Broken", """{ "country": "XX", "names": """);

        var catalog = PluginCatalog.Load(temp);

        Assert.Equal(["BE", "SE"], catalog.Plugins.Select(p => p.Manifest.Country).Order());
        var problem = Assert.Single(catalog.Problems);
        Assert.Equal(Path.Combine(temp, "Broken"), problem.Folder);
        Assert.Contains("plugin.json", problem.Message);
    }

    [Fact]
    public void Manifest_missing_a_required_field_is_reported()
    {
        WriteManifest("NoCurrency", """{ "country": "LU", "names": { "en": "Luxembourg" }, "languages": ["fr"], "issuers": [ { "id": "a", "name": "A" } ] }""");

        var problem = Assert.Single(PluginCatalog.Load(temp).Problems);

        Assert.Contains("currency", problem.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{ "country": "lux", "names": { "en": "Luxembourg" }, "currency": "EUR", "languages": ["fr"], "issuers": [ { "id": "a", "name": "A" } ] }""")]
    [InlineData("""{ "country": "LU", "names": { "en": "Luxembourg" }, "currency": "EUR", "languages": ["fr"], "issuers": [] }""")]
    [InlineData("""{ "country": "LU", "names": { "en": "Luxembourg" }, "currency": "EUR", "languages": ["fr"], "issuers": [ { "id": "a", "name": "A" } ], "assembly": "../Other.dll" }""")]
    public void Manifest_with_unusable_values_is_reported_and_skipped(string json)
    {
        WriteManifest("Bad", json);

        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Plugins);
        Assert.Equal(Path.Combine(temp, "Bad"), Assert.Single(catalog.Problems).Folder);
    }

    [Fact]
    public void Manifest_whose_country_differs_from_the_plugin_is_reported()
    {
        var folder = CopyInstalled("Belgium");
        File.WriteAllText(Path.Combine(folder, "plugin.json"), File.ReadAllText(Path.Combine(folder, "plugin.json")).Replace("\"country\": \"BE\"", "\"country\": \"LU\""));

        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Plugins);
        Assert.Contains("'BE'", Assert.Single(catalog.Problems).Message);
    }

    [Theory]
    [InlineData("2.x")]
    [InlineData("0.9")]
    public void A_plugin_built_for_another_host_version_is_refused_at_load_saying_both_versions(string hostVersion)
    {
        var folder = CopyInstalled("Belgium");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            File.ReadAllText(Path.Combine(folder, "plugin.json")).Replace("\"hostVersion\": \"1.x\"", $"\"hostVersion\": \"{hostVersion}\"", StringComparison.Ordinal));
        CopyInstalled("France");

        var catalog = PluginCatalog.Load(temp);

        Assert.Equal(["FR"], catalog.Plugins.Select(p => p.Manifest.Country));
        var problem = Assert.Single(catalog.Problems);
        Assert.Equal(folder, problem.Folder);
        Assert.Contains($"built for host version {hostVersion}", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"this host is {PluginCatalog.HostVersion}", problem.Message, StringComparison.Ordinal);
        // Refused before its assembly is loaded: no load context of its own was made for it.
        Assert.DoesNotContain(System.Runtime.Loader.AssemblyLoadContext.All, c => c.Name == "plugin:BE" && c.Assemblies.Any(a => a.Location.StartsWith(temp, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("1.x")]
    [InlineData("1")]
    [InlineData("1.4")]
    public void A_plugin_for_this_host_s_major_version_loads(string hostVersion)
    {
        var folder = CopyInstalled("Belgium");
        File.WriteAllText(Path.Combine(folder, "plugin.json"),
            File.ReadAllText(Path.Combine(folder, "plugin.json")).Replace("\"hostVersion\": \"1.x\"", $"\"hostVersion\": \"{hostVersion}\"", StringComparison.Ordinal));

        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Problems);
        Assert.Equal(hostVersion, Assert.Single(catalog.Plugins).Manifest.HostVersion);
    }

    [Fact]
    public void A_host_version_that_is_not_a_range_is_reported()
    {
        WriteManifest("Odd", """{ "country": "LU", "names": { "en": "Luxembourg" }, "currency": "EUR", "languages": ["fr"], "issuers": [ { "id": "a", "name": "A" } ], "hostVersion": "latest" }""");

        Assert.Contains("hostVersion 'latest'", Assert.Single(PluginCatalog.Load(temp).Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_naming_a_missing_assembly_is_reported()
    {
        var folder = CopyInstalled("Belgium");
        File.Delete(Path.Combine(folder, "Smart.Plugins.Belgium.dll"));

        var problem = Assert.Single(PluginCatalog.Load(temp).Problems);

        Assert.Contains("Smart.Plugins.Belgium.dll", problem.Message);
    }

    [Fact]
    public void Assembly_without_a_country_plugin_is_reported()
    {
        var folder = CopyInstalled("Belgium");
        File.Copy(typeof(PluginCatalogTests).Assembly.Location, Path.Combine(folder, "Smart.Plugins.Belgium.dll"), overwrite: true);

        var problem = Assert.Single(PluginCatalog.Load(temp).Problems);

        Assert.Contains(nameof(ICountryPlugin), problem.Message);
    }

    [Fact]
    public void Two_folders_for_the_same_country_keep_the_first_and_report_the_second()
    {
        CopyInstalled("Belgium");
        CopyInstalled("Belgium", "Belgium2");

        var catalog = PluginCatalog.Load(temp);

        Assert.Single(catalog.Plugins);
        Assert.Equal(Path.Combine(temp, "Belgium2"), Assert.Single(catalog.Problems).Folder);
    }

    [Fact]
    public void Missing_plugins_directory_gives_an_empty_catalog_and_a_problem_naming_it()
    {
        var missing = Path.Combine(temp, "nowhere");

        var catalog = PluginCatalog.Load(missing);

        Assert.Empty(catalog.Plugins);
        Assert.Equal(missing, Assert.Single(catalog.Problems).Folder);
    }

    [Fact]
    public void Empty_plugins_directory_gives_an_empty_catalog_and_a_problem_naming_it()
    {
        var catalog = PluginCatalog.Load(temp);

        Assert.Empty(catalog.Plugins);
        Assert.Contains(temp, Assert.Single(catalog.Problems).Message);
    }

    private string CopyInstalled(string country, string? asFolder = null)
    {
        var target = Directory.CreateDirectory(Path.Combine(temp, asFolder ?? country)).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(InstalledPlugins.Directory, country)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    private void WriteManifest(string folder, string json)
    {
        Directory.CreateDirectory(Path.Combine(temp, folder));
        File.WriteAllText(Path.Combine(temp, folder, "plugin.json"), json);
    }
}
