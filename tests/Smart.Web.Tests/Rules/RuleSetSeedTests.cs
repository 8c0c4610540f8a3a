using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.RuleSets;

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

    [Fact]
    public async Task A_prepared_draft_is_submitted_once_from_the_version_in_force_and_does_not_apply()
    {
        const string key = "be/author-rights.json";
        Directory.CreateDirectory(Path.Combine(root, "rule-drafts", "be"));
        File.Copy(Path.Combine(Repo.Root, "rule-drafts", "be", "author-rights.json"), Path.Combine(root, "rule-drafts", "be", "author-rights.json"));
        using (var first = new Factory(root))
        {
            var versions = await first.Services.GetRequiredService<IRuleSetStore>().HistoryAsync(key);
            Assert.Equal([RuleSetVersionStatus.Submitted, RuleSetVersionStatus.Published], versions.Select(v => v.Status).ToArray());
            Assert.Equal("system:rules-seed", versions[0].CreatedBy);
            Assert.Contains("\"value\": true, \"unconfirmed\": true", versions[0].Text, StringComparison.Ordinal);
            // The law in force still applies: the lump sum for a member without the attestation in 2026.
            var withholding = first.Services.GetRequiredService<DocumentEvaluator>().EvaluateInvoice(new InvoiceDocument
            {
                Country = "BE", Date = new DateOnly(2026, 2, 10), Client = new ClientInfo { Kind = "business", Country = "BE" },
                Member = new MemberInfo { HasArtistAttestation = false },
                Lines = [new InvoiceLine { Description = "Illustrations, licence", Category = "author-rights", Quantity = 1, UnitPrice = 10000m }],
            }).Value!.AuthorRights!.Withholding;
            Assert.Equal(750m, withholding);
            // Its impact simulation is queued with it and runs once the app has started, for the year it changes.
            var simulations = first.Services.GetRequiredService<ISimulationStore>();
            var simulation = (await simulations.OfVersionAsync(versions[0].Id)).Single();
            Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "system:rules-seed"), (simulation.From, simulation.To, simulation.StartedBy));
            for (var waited = 0; (await simulations.GetAsync(simulation.Id))!.Status is SimulationStatus.Queued or SimulationStatus.Running; waited += 100)
            {
                Assert.True(waited < 60_000, "the prepared draft's simulation did not finish");
                await Task.Delay(100);
            }
            Assert.Equal(SimulationStatus.Done, (await simulations.GetAsync(simulation.Id))!.Status);
        }
        using var second = new Factory(root);
        Assert.Equal(2, (await second.Services.GetRequiredService<IRuleSetStore>().HistoryAsync(key)).Count);
        Assert.Single(await second.Services.GetRequiredService<ISimulationStore>().OfVersionAsync(
            (await second.Services.GetRequiredService<IRuleSetStore>().HistoryAsync(key))[0].Id));
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
            builder.UseSetting("Smart:RuleDraftsDirectory", Path.Combine(root, "rule-drafts"));
            builder.UseSetting("Smart:PluginsDirectory", Path.Combine(Repo.Root, "artifacts", "plugins"));
        }
    }
}
