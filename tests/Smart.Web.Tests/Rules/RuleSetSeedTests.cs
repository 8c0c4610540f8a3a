using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Storage;

namespace Smart.Web.Tests.Rules;

/// <summary>The shipped rules/ files seed the store once; after that the store is the truth, and a changed shipped file waits for approval.</summary>
public sealed class RuleSetSeedTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "smart-seed-tests", Guid.NewGuid().ToString("N"));

    public RuleSetSeedTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "rules", "be"));
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Root, "rules", "be")))
            File.Copy(file, Path.Combine(root, "rules", "be", Path.GetFileName(file)));
    }

    public void Dispose() => SmartWebFactory.DeleteQuietly(root);

    [Fact]
    public async Task A_published_edit_survives_a_restart_and_a_changed_shipped_file_waits_for_approval_instead_of_applying()
    {
        const string key = "be/contribution.json";
        using (var first = new Factory(root))
        {
            var store = first.Services.GetRequiredService<IRuleSetStore>();
            var seeded = Assert.Single(await store.HistoryAsync(key));
            Assert.Equal(RuleSetVersionStatus.Published, seeded.Status);
            Assert.Equal("system:rules-seed", seeded.CreatedBy);

            var edited = seeded.Text.Replace("\"value\": 0.065, \"note\"", "\"value\": 0.065, \"note\": \"x\" }, { \"from\": \"2030-01-01\", \"value\": 0.066, \"note\"", StringComparison.Ordinal);
            Assert.NotEqual(seeded.Text, edited);
            var draft = await store.AddDraftAsync(key, "BE", "contribution", edited, seeded.Id, new AuditActor("compliance@smart.coop"));
            await store.SubmitAsync(draft.Id, "test", new AuditActor("compliance@smart.coop"));
            await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"));
            first.Services.GetRequiredService<RuleBookInForce>().Reload();
            Assert.Equal(0.066m, RateOn(first));
        }

        // The shipped VAT file changes (a new release of the app): it must not apply before an approver publishes it.
        var vat = Path.Combine(root, "rules", "be", "vat.json");
        File.WriteAllText(vat, File.ReadAllText(vat).Replace("\"description\": \"", "\"description\": \"Release 2. ", StringComparison.Ordinal));

        // One app at a time on a data directory: LiteDB's direct mode holds the file for its process.
        using (var second = new Factory(root))
        {
            Assert.Equal(0.066m, RateOn(second));
            var secondStore = second.Services.GetRequiredService<IRuleSetStore>();
            var vatVersions = await secondStore.HistoryAsync("be/vat.json");
            Assert.Equal([RuleSetVersionStatus.Submitted, RuleSetVersionStatus.Published], vatVersions.Select(v => v.Status).ToArray());
            Assert.Contains("Release 2.", vatVersions[0].Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Release 2.", second.Services.GetRequiredService<RuleBook>().Find("BE", Topics.Vat, new DateOnly(2026, 6, 1))!.File.Description, StringComparison.Ordinal);
        }
        // A third start does not submit the same file twice.
        using var third = new Factory(root);
        Assert.Equal(2, (await third.Services.GetRequiredService<IRuleSetStore>().HistoryAsync("be/vat.json")).Count);
    }

    private static decimal RateOn(Factory app)
    {
        var evaluator = app.Services.GetRequiredService<DocumentEvaluator>();
        var outcome = evaluator.EvaluateInvoice(new InvoiceDocument
        {
            Country = "BE", Date = new DateOnly(2030, 6, 1), Client = new ClientInfo { Kind = "individual", Country = "BE" },
            Lines = [new InvoiceLine { Description = "Design", Category = "service", Quantity = 1, UnitPrice = 100m }],
        });
        return outcome.Value!.Contribution.Rate;
    }

    private sealed class Factory(string root) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Smart:DataDirectory", Path.Combine(root, "data"));
            builder.UseSetting("Smart:RulesDirectory", Path.Combine(root, "rules"));
            builder.UseSetting("Smart:PluginsDirectory", Path.Combine(Repo.Root, "artifacts", "plugins"));
        }
    }
}
