extern alias volume;

using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Tests.Rules;
using volume::Smart.Volume;
using Xunit.Abstractions;

namespace Smart.Web.Tests.Volume;

/// <summary>
/// What changed since issue on a fiftieth of the generated year: the year's Belgian author-rights bands published late (raised by 1,000), the
/// since-issue comparison run over the year's issued invoices. It must compare every one without a failure and list only invoices whose
/// author rights come out differently; the speed (invoices compared per second) is printed, never asserted.
/// </summary>
public sealed class SinceIssueVolumeTests(ITestOutputHelper output)
{
    /// <summary>The author-rights rule set with the bands of <paramref name="year"/> raised by 1,000 (its tests of that year left out).</summary>
    private static string BandsRaised(string text, int year)
    {
        var file = JObject.Parse(text);
        var from = $"{year}-01-01";
        foreach (var parameter in new[] { "FirstBandUpper", "SecondBandUpper" })
        {
            var entry = ((JArray)file["parameters"]![parameter]!["values"]!).Single(v => (string?)v["from"] == from);
            entry["value"] = (decimal)entry["value"]! + 1000m;
        }
        foreach (var test in ((JArray)file["tests"]!).Where(t => ((string)t["input"]!["date"]!).StartsWith(from[..4], StringComparison.Ordinal)).ToList()) test.Remove();
        return file.ToString();
    }

    [Fact]
    public async Task A_late_publication_on_a_fiftieth_of_the_year_compares_every_issued_invoice_and_lists_only_those_that_differ()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            var report = await new VolumeGenerator(new VolumeOptions(data, Path.Combine(Repo.Root, "rules"), Path.Combine(Repo.Root, "artifacts", "plugins"))
            {
                Scale = 0.02, Log = _ => { },
            }).GenerateAsync();
            output.WriteLine($"generated in {report.Total.TotalSeconds:F1} s: {string.Join(", ", report.Counts.Select(c => $"{c.Value:N0} {c.Key}"))}");

            using var app = SmartWebFactory.OnDataDirectory(data);
            var invoices = app.Services.GetRequiredService<IInvoiceStore>();
            var year = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Descending = true, Take = 1 })).Rows[0].Date.Year;
            var late = await SinceIssueTests.PublishAsync(app, text => BandsRaised(text, year), "the year's bands published late");

            var simulations = app.Services.GetRequiredService<ISimulationStore>();
            var simulation = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = late.Id, Key = late.Key, VersionNumber = late.Number, Country = "BE", DraftText = late.Text, From = new(year, 1, 1), To = new(year, 12, 31),
                StartedBy = "compliance@smart.coop", StartedAtUtc = DateTime.UtcNow, Mode = SimulationMode.SinceIssue, KnownBefore = late.PublishedAtUtc,
            });
            var timer = Stopwatch.StartNew();
            using (var scope = app.Services.CreateScope())
                simulation = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SimulateImpact.Command(simulation.Id));
            timer.Stop();

            Assert.Equal(SimulationStatus.Done, simulation.Status);
            Assert.Equal(simulation.Total, simulation.Done);
            Assert.Equal((0, 0), (simulation.Failed, simulation.Faulted));
            var affected = (await simulations.AffectedAsync(simulation.Id, 0, 1000)).Rows;
            Assert.NotEmpty(affected);
            Assert.All(affected, d => Assert.True(d.Before.LumpSum != d.After.LumpSum || d.Before.Withholding != d.After.Withholding, $"invoice {d.DocumentId}"));
            Assert.Equal(simulation.Affected, simulation.Members.Sum(m => m.Documents));
            output.WriteLine($"since issue: {simulation.Done:N0} issued invoices of {year} compared in {timer.Elapsed.TotalSeconds:F1} s " +
                $"({simulation.Done / Math.Max(0.001, timer.Elapsed.TotalSeconds):N0} per second), {simulation.Affected:N0} differ, " +
                $"{simulation.Members.Count:N0} members, withholding difference {simulation.Members.Sum(m => m.WithholdingDifference):N2}");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
