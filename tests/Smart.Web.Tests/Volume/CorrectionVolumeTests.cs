extern alias volume;

using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Corrections;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Tests.Rules;
using volume::Smart.Volume;
using Xunit.Abstractions;

namespace Smart.Web.Tests.Volume;

/// <summary>
/// A correction run on a fiftieth of the generated year: the year's Belgian author-rights bands published late (raised by 1,000), compared
/// since issue, then an accepted correction run over the year. It must write one statement per member-year of the comparison, each adding up
/// to that member's totals; the speeds (documents compared, statements written per second) are printed, never asserted.
/// </summary>
public sealed class CorrectionVolumeTests(ITestOutputHelper output)
{
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
    public async Task A_correction_run_on_a_fiftieth_of_the_year_writes_a_statement_per_member_year_that_adds_up()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            await new VolumeGenerator(new VolumeOptions(data, Path.Combine(Repo.Root, "rules"), Path.Combine(Repo.Root, "artifacts", "plugins"))
            {
                Scale = 0.02, Log = _ => { },
            }).GenerateAsync();
            using var app = SmartWebFactory.OnDataDirectory(data);
            var invoices = app.Services.GetRequiredService<IInvoiceStore>();
            var year = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Descending = true, Take = 1 })).Rows[0].Date.Year;
            var late = await SinceIssueTests.PublishAsync(app, text => BandsRaised(text, year), "the year's bands published late");
            var simulations = app.Services.GetRequiredService<ISimulationStore>();
            var source = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = late.Id, Key = late.Key, VersionNumber = late.Number, Country = "BE", DraftText = late.Text, From = new(year, 1, 1), To = new(year, 12, 31),
                StartedBy = "compliance@smart.coop", StartedAtUtc = DateTime.UtcNow, Mode = SimulationMode.SinceIssue, KnownBefore = late.PublishedAtUtc,
                Status = SimulationStatus.Done,
            });
            // Accepted as the four-eyes pages leave it (CorrectionRunTests drive them); the job is run here, in process, and timed.
            var runs = app.Services.GetRequiredService<ICorrectionStore>();
            var run = await runs.AddAsync(new CorrectionRun
            {
                Country = "BE", From = new(year, 1, 1), To = new(year, 12, 31), SourceSimulationId = source.Id, VersionId = late.Id, Key = late.Key,
                VersionNumber = late.Number, KnownBefore = late.PublishedAtUtc, Reason = "volume", ProposedBy = "compliance@smart.coop", ProposedAtUtc = DateTime.UtcNow,
                Status = CorrectionStatus.Approved, ReviewedBy = "approver@smart.coop", ReviewedAtUtc = DateTime.UtcNow,
            });
            var timer = Stopwatch.StartNew();
            using (var scope = app.Services.CreateScope())
                run = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunCorrection.Command(run.Id));
            timer.Stop();

            Assert.Equal(CorrectionStatus.Done, run.Status);
            var comparison = (await simulations.GetAsync(run.ComparisonId!.Value))!;
            Assert.Equal((SimulationStatus.Done, 0), (comparison.Status, comparison.Failed));
            var statements = await runs.StatementsAsync(run.Id);
            Assert.Equal(comparison.Members.Count, statements.Count);
            Assert.Equal(run.MemberYears, run.Statements);
            foreach (var statement in statements)
            {
                var totals = comparison.Members.Single(m => m.MemberId == statement.MemberId && m.Year == statement.Year);
                Assert.Equal((totals.WithholdingApplied, totals.WithholdingDue), (statement.WithholdingApplied, statement.WithholdingDue));
            }
            var compared = (comparison.FinishedAtUtc!.Value - comparison.StartedAtUtc).TotalSeconds;
            var writing = (run.FinishedAtUtc!.Value - comparison.FinishedAtUtc.Value).TotalSeconds;
            output.WriteLine($"correction run: {comparison.Done:N0} issued invoices of {year} compared in {compared:F1} s ({comparison.Done / Math.Max(0.001, compared):N0} per second), " +
                $"{comparison.Affected:N0} differ; {statements.Count:N0} statements ({statements.Sum(s => s.Lines.Count):N0} lines) written in {writing:F1} s " +
                $"({statements.Count / Math.Max(0.001, writing):N1} per second); {run.Invoices:N0} corrective pairs; whole run {timer.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
