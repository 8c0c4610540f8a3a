using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Plugins;
using Smart.Web.Storage;

namespace Smart.Web.Tests;

/// <summary>
/// A country is added by dropping a plugin folder and a rules folder next to the app: the built Smart.Web, which
/// references no plugin, serves it on its next start.
/// </summary>
public sealed class PluginDropInTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("smart-dropin-").FullName;

    [Fact]
    public async Task Country_plugin_dropped_into_the_plugins_directory_is_served_without_rebuilding_the_app()
    {
        var plugins = Directory.CreateDirectory(Path.Combine(root, "plugins")).FullName;
        var rules = Directory.CreateDirectory(Path.Combine(root, "rules")).FullName;
        CopyDirectory(Path.Combine(Repo.Root, "artifacts", "plugins", "Belgium"), Path.Combine(plugins, "Belgium"));
        CopyDirectory(Path.Combine(Repo.Root, "rules", "be"), Path.Combine(rules, "be"));

        using (var before = new DropInFactory(root))
        {
            var refused = await before.CreateKeyedClient().PostAsJsonAsync("/api/v1/evaluate/invoice", LuxembourgInvoice);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        // The drop: a data-only plugin (no assembly) and its rule sets, both plain files.
        Directory.CreateDirectory(Path.Combine(plugins, "Luxembourg"));
        File.WriteAllText(Path.Combine(plugins, "Luxembourg", "plugin.json"), """
            { "country": "LU", "names": { "en": "Luxembourg", "fr": "Luxembourg" }, "currency": "EUR", "languages": ["fr", "de"],
              "issuers": [ { "id": "smart-lu", "name": "Drop-in test cooperative", "default": true } ] }
            """);
        Directory.CreateDirectory(Path.Combine(rules, "lu"));
        File.WriteAllText(Path.Combine(rules, "lu", "vat.json"), RuleSet("vat", "StandardRate", 0.17m, "standard"));
        File.WriteAllText(Path.Combine(rules, "lu", "contribution.json"), RuleSet("contribution", "ContributionRate", 0.08m, null));

        using var after = new DropInFactory(root);
        var response = await after.CreateKeyedClient().PostAsJsonAsync("/api/v1/evaluate/invoice", LuxembourgInvoice);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var evaluation = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("LU", evaluation.GetProperty("country").GetString());
        Assert.Equal(0.17m, evaluation.GetProperty("lines")[0].GetProperty("vatRate").GetDecimal());
        Assert.Equal(170.00m, evaluation.GetProperty("totals").GetProperty("vat").GetDecimal());
        Assert.Equal(80.00m, evaluation.GetProperty("contribution").GetProperty("amount").GetDecimal());
        Assert.Equal(2, evaluation.GetProperty("unconfirmed").GetArrayLength());
    }

    [Fact]
    public async Task A_plugin_built_for_another_host_version_is_refused_at_start_with_a_message_and_the_others_are_served()
    {
        var plugins = Directory.CreateDirectory(Path.Combine(root, "plugins")).FullName;
        var rules = Directory.CreateDirectory(Path.Combine(root, "rules")).FullName;
        foreach (var (folder, country) in new[] { ("Belgium", "be"), ("France", "fr") })
        {
            CopyDirectory(Path.Combine(Repo.Root, "artifacts", "plugins", folder), Path.Combine(plugins, folder));
            CopyDirectory(Path.Combine(Repo.Root, "rules", country), Path.Combine(rules, country));
        }
        var manifest = Path.Combine(plugins, "Belgium", "plugin.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"hostVersion\": \"1.x\"", "\"hostVersion\": \"2.x\"", StringComparison.Ordinal));

        using var app = new DropInFactory(root);
        var client = app.CreateKeyedClient();

        var problem = Assert.Single(app.Services.GetRequiredService<PluginCatalog>().Problems);
        Assert.Equal(Path.Combine(plugins, "Belgium"), problem.Folder);
        Assert.Contains("built for host version 2.x; this host is 1.x", problem.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostJsonAsync(Http.InvoicePath, Documents.DomesticServiceInvoice("BE"))).StatusCode);
        await (await client.PostJsonAsync(Http.InvoicePath, Documents.DomesticServiceInvoice("FR"))).AssertOkAsync();
    }

    private static readonly object LuxembourgInvoice = new
    {
        country = "LU", date = "2026-03-15", client = new { kind = "business", country = "LU" },
        lines = new[] { new { description = "Design", category = "service", quantity = 1, unitPrice = 1000.00m } },
    };

    // A fixture, not a shipped rule set: its figures are marked unconfirmed so the test also sees that flag travel.
    private static string RuleSet(string topic, string parameter, decimal value, string? treatment) => $$"""
        { "country": "LU", "topic": "{{topic}}", "version": "drop-in", "description": "Drop-in test fixture.", "validFrom": "2026-01-01",
          "parameters": { "{{parameter}}": { "description": "Fixture value.", "unit": "rate", "source": { "title": "Test fixture" },
            "values": [ { "from": "2026-01-01", "value": {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "unconfirmed": true, "note": "test fixture" } ] } },
          "workflow": { "WorkflowName": "lu-{{topic}}", "Rules": [ { "RuleName": "only-rule", "Expression": "true",
            {{(treatment is null ? "" : $"\"SuccessEvent\": \"{treatment}\", \"Properties\": {{ \"vatCategory\": \"S\" }},")}}
            "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "{{parameter}}" } } } } ] },
          "ruleSources": { "only-rule": { "title": "Test fixture" } },
          "tests": [] }
        """;

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    public void Dispose() => SmartWebFactory.DeleteQuietly(root);

    private sealed class DropInFactory(string root) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Smart:DataDirectory", Path.Combine(root, "data"));
            builder.UseSetting("Smart:RulesDirectory", Path.Combine(root, "rules"));
            builder.UseSetting("Smart:PluginsDirectory", Path.Combine(root, "plugins"));
        }

        public HttpClient CreateKeyedClient()
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", DemoSeed.DemoPartnerKey);
            return client;
        }
    }
}
