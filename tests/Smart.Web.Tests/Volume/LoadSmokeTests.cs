extern alias volume;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using volume::Smart.Volume;
using Xunit.Abstractions;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Volume;

/// <summary>
/// The load benchmark's smoke version (<c>./volume.sh load</c> measures; this only proves it runs clean): a fiftieth of the year
/// generated, the app on it, the load benchmark's pages and the evaluation API requested by 8 clients at once for 10 seconds.
/// Every answer must be a 200; timings are printed, never asserted.
/// </summary>
public sealed class LoadSmokeTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_fiftieth_of_the_year_under_8_clients_for_10_seconds_answers_every_request_without_error()
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
            var invoices = await app.Services.GetRequiredService<IInvoiceStore>().SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Take = 20 });
            var unit = invoices.Rows[0].ProductionUnitId;
            string[] pages =
            [
                "/Members?Search=marie", "/Invoices?Country=BE&Status=Paid&PageNumber=5", $"/Invoices/Details/{invoices.Rows[0].Id}", "/",
                "/ProductionUnits?Search=studio", $"/ProductionUnits/Details/{unit}", "/Clients?Country=BE", "/Contracts?Country=BE", "/Invoices/Outbox",
            ];
            var statuses = new ConcurrentDictionary<string, int>();
            var failures = new ConcurrentQueue<string>();
            long requests = 0;
            var timer = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Clients).Select(worker => Task.Run(async () =>
            {
                using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
                using var partner = app.DemoPartner();
                for (var n = worker; timer.Elapsed < Duration; n++)
                {
                    var (path, response) = n % (pages.Length + 1) == pages.Length
                        ? ("POST " + Http.InvoicePath, await partner.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice))
                        : (pages[n % (pages.Length + 1)], await staff.Client.GetAsync(pages[n % (pages.Length + 1)]));
                    using (response)
                    {
                        await response.Content.LoadIntoBufferAsync();
                        statuses.AddOrUpdate($"{(int)response.StatusCode}", 1, (_, count) => count + 1);
                        if (response.StatusCode != HttpStatusCode.OK) failures.Enqueue($"{path}: {(int)response.StatusCode}");
                    }
                    Interlocked.Increment(ref requests);
                }
            })).ToList();
            await Task.WhenAll(workers);

            output.WriteLine($"{requests:N0} requests in {timer.Elapsed.TotalSeconds:F1} s ({requests / timer.Elapsed.TotalSeconds:F0}/s) by {Clients} clients; "
                + $"statuses {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
            Assert.True(failures.IsEmpty, string.Join("\n", failures.Distinct().Take(20)));
            Assert.True(requests >= pages.Length * Clients, $"only {requests} requests: each page was not asked for by each client");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
