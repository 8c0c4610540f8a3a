using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Xunit.Abstractions;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Storage;

/// <summary>One owner per data directory: a second instance is refused, and a store closed and reopened keeps every write it acknowledged.</summary>
[Trait("Store", "Chosen")]
public class LiteDbFileTests(ITestOutputHelper output)
{
    [Fact]
    public void A_second_owner_in_this_process_is_refused_naming_the_directory_until_the_first_closes()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var first = new LiteDbFile(data))
            {
                var refused = Assert.Throws<DataDirectoryInUseException>(() => new LiteDbFile(data, TimeSpan.FromMilliseconds(200)));
                Assert.Contains(data, refused.Message);
                Assert.Contains($"this process ({Environment.ProcessId})", refused.Message);
            }
            using var second = new LiteDbFile(data, TimeSpan.Zero);
            Assert.Equal(0, second.Database.GetCollection("anything").Count());
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Another_process_sees_the_lock_while_the_store_is_open_and_not_after()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            var lockFile = Path.Combine(data, LiteDbFile.LockFileName);
            using (new LiteDbFile(data))
                Assert.NotEqual(0, await FlockAsync(lockFile)); // util-linux flock -n: 1 when another process holds the lock
            Assert.Equal(0, await FlockAsync(lockFile));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// The corruption direct mode once caused came from two instances on one file, and LiteDB loses a commit that lands while it
    /// closes. Fifty times: the store is opened through its owner, two writers add clients, and it is closed while they write.
    /// Every client whose write returned must be there afterwards.
    /// </summary>
    [Fact]
    public async Task Fifty_restarts_of_the_store_under_writes_keep_every_acknowledged_write()
    {
        var data = SmartWebFactory.NewDataDirectory();
        var acknowledged = new ConcurrentDictionary<int, string>();
        var timer = Stopwatch.StartNew();
        try
        {
            for (var restart = 0; restart < 50; restart++)
            {
                var file = new LiteDbFile(data);
                var clients = new LiteDbClientStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                await AssertAllThereAsync(clients, acknowledged);
                await WriteWhileClosingAsync(clients, file.Dispose, restart, acknowledged);
            }
            using var reopened = new LiteDbFile(data);
            await AssertAllThereAsync(new LiteDbClientStore(reopened.Database, new LiteDbAuditLog(reopened.Database), TimeProvider.System), acknowledged);
            output.WriteLine($"50 restarts, {acknowledged.Count} acknowledged writes, all there; {timer.Elapsed.TotalSeconds:F1} s");
            Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} writes were acknowledged: too few to prove anything");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>The same through the whole app, as a restart does it: the host disposed while its store is being written.</summary>
    [Fact]
    public async Task The_app_disposed_while_writing_and_started_again_keeps_every_acknowledged_write()
    {
        var data = SmartWebFactory.NewDataDirectory();
        var acknowledged = new ConcurrentDictionary<int, string>();
        try
        {
            for (var restart = 0; restart < 5; restart++)
            {
                var app = SmartWebFactory.OnDataDirectory(data);
                var clients = app.Services.GetRequiredService<IClientStore>();
                await AssertAllThereAsync(clients, acknowledged);
                await WriteWhileClosingAsync(clients, app.Dispose, restart, acknowledged);
            }
            using var reopened = SmartWebFactory.OnDataDirectory(data);
            await AssertAllThereAsync(reopened.Services.GetRequiredService<IClientStore>(), acknowledged);
            Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} writes were acknowledged");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// The rows' warm-ups read the invoices and the directory on background threads after start-up. Disposed at once, five times, the app
    /// stops them (they would otherwise read on into the next app's start): each start succeeds and finds every invoice.
    /// </summary>
    [Fact]
    public async Task The_app_disposed_while_its_rows_warm_up_starts_again_on_the_same_directory_with_every_invoice()
    {
        const int count = 30_000;
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var file = new LiteDbFile(data))
            {
                var clients = new LiteDbClientStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                clients.ImportMany(Enumerable.Range(0, count / 10).Select(n => new Client { Country = "BE", Kind = ClientKind.Business, Name = $"Client {n}" }).ToList());
                clients.Dispose();
                var invoices = new LiteDbInvoiceStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                invoices.ImportMany(Enumerable.Range(0, count).Select(n => new Invoice
                {
                    Country = "BE", Issuer = "smartcoop", ProductionUnitId = 1 + n % 50, ClientId = 1 + n % 100, Date = new DateOnly(2026, 1, 1).AddDays(n % 300),
                    Lines = [new InvoiceLineItem($"Invoice {n} work", "service", 1, 100 + n % 7), new InvoiceLineItem("Travel", "disbursement", 2, 15)],
                }).ToList());
                invoices.Dispose();
            }
            var timer = Stopwatch.StartNew();
            for (var restart = 0; restart < 5; restart++)
            {
                var app = SmartWebFactory.OnDataDirectory(data);
                _ = app.Services.GetRequiredService<IInvoiceStore>(); // the stores start their warm-ups
                _ = app.Services.GetRequiredService<IClientStore>();
                var disposing = Stopwatch.StartNew();
                app.Dispose();
                output.WriteLine($"restart {restart}: disposed in {disposing.ElapsedMilliseconds} ms");
            }
            using var reopened = SmartWebFactory.OnDataDirectory(data);
            var all = reopened.Services.GetRequiredService<IInvoiceStore>();
            Assert.Equal(count, (await all.SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 0 })).Total);
            Assert.Equal("Invoice 29999 work", (await all.GetAsync(count))?.Lines[0].Description);
            output.WriteLine($"5 starts and disposals on {count} invoices: {timer.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>Two writers add clients until <paramref name="close"/>, called while they write, makes them fail; what returned is recorded.</summary>
    private static async Task WriteWhileClosingAsync(IClientStore clients, Action close, int restart, ConcurrentDictionary<int, string> acknowledged)
    {
        using var closing = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var name = $"Restart {restart} writer {writer} client {n}";
                try
                {
                    var added = await clients.AddAsync(new Client { Country = "BE", Kind = ClientKind.Business, Name = name }, new AuditActor("restart-test"));
                    acknowledged[added.Id] = name;
                }
                catch (Exception) when (closing.IsCancellationRequested)
                {
                    return; // the store closed under it: this write was not acknowledged
                }
            }
        })).ToList();
        await Task.Delay(20 + restart % 5 * 10);
        closing.Cancel();
        close();
        await Task.WhenAll(writers);
    }

    private static async Task AssertAllThereAsync(IClientStore clients, IReadOnlyDictionary<int, string> acknowledged)
    {
        foreach (var (id, name) in acknowledged)
            Assert.Equal(name, (await clients.GetAsync(id))?.Name);
    }

    private static async Task<int> FlockAsync(string file)
    {
        var start = new ProcessStartInfo("flock") { RedirectStandardError = true };
        foreach (var argument in new[] { "--nonblock", file, "true" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
