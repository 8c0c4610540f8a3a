using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Smart.Web.Reevaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Demo;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;
using Smart.Web.Tests.Invoices;
using Smart.Web.Tests.Storage;
using Xunit.Abstractions;

namespace Smart.Web.Tests.ServerMode;

/// <summary>
/// An instance killed (SIGKILL) in the middle of a bulk re-evaluation, as a crash or an OOM kill would: two instances of the app run as real
/// OS processes on one database, and the one whose worker runs the job is killed, so nothing of it gets to clean up. The other instance,
/// which was running all along and is not restarted, finishes the run; every draft is re-evaluated once.
/// </summary>
[Trait("Store", "Chosen")]
public sealed class KilledInstanceTests(ITestOutputHelper log)
{
    private const int Drafts = 800;
    private const string NewVersion = "2026.4-after-kill";

    [Fact]
    public async Task A_run_whose_instance_is_killed_is_finished_by_another_with_each_draft_written_once_and_none_lost()
    {
        var database = PostgreSqlServer.NewDatabase();
        var phase = Stopwatch.StartNew();
        var drafts = await SeedAsync(database);
        log.WriteLine($"seeded {Drafts} drafts in {phase.Elapsed.TotalSeconds:0.0} s");

        int runId, doneWhenKilled;
        phase.Restart();
        using var one = AppProcess.Start(database);
        using var other = AppProcess.Start(database);
        await Task.WhenAll(one.WaitUntilHealthyAsync(), other.WaitUntilHealthyAsync());
        log.WriteLine($"two instances (processes) answering after {phase.Elapsed.TotalSeconds:0.0} s");

        using (var compliance = await one.SignedInAsync("compliance@smart.coop"))
        {
            var start = (await compliance.GetPageAsync("/Reevaluation")).Forms["start-form"]!;
            var started = await compliance.SubmitAsync(start, ("Data.Reason", "BE VAT republished"), ("Data.Country", "BE"));
            Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
            runId = int.Parse(started.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        }

        // Killed once a few batches are committed and well before the last one: whichever instance's worker took the job.
        var clock = Stopwatch.StartNew();
        ReevaluationRun run;
        while ((run = await RunAsync(database, runId)).Done < 3 * AppProcess.BatchSize)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The run made no progress: {run.Done} done.\n{one.Output}\n{other.Output}");
            await Task.Delay(20);
        }
        // A copy of the job queued by an instance's scan before the run was claimed is processing for a moment on the other, and gives up.
        var running = await RunningJobProcessesAsync(database);
        for (var tries = 0; running.Count != 1 && tries < 50; tries++)
        {
            await Task.Delay(20);
            running = await RunningJobProcessesAsync(database);
        }
        Assert.True(running.Count == 1, $"One instance runs the job, not {string.Join(", ", running)}.");
        var (killed, survivor) = running[0] == one.Id ? (one, other) : (other, one);
        Assert.Equal(running[0], killed.Id);
        killed.Kill();
        doneWhenKilled = (await RunAsync(database, runId)).Done;
        log.WriteLine($"killed process {killed.Id} after {clock.Elapsed.TotalSeconds:0.0} s of the run, {doneWhenKilled} of {Drafts} done");
        Assert.Equal(ReevaluationStatus.Running, run.Status);
        Assert.InRange(doneWhenKilled, 3 * AppProcess.BatchSize, Drafts - AppProcess.BatchSize);

        // The other instance, not restarted, sees the run held by nobody and takes it over.
        var waited = Stopwatch.StartNew();
        ReevaluationRun finished;
        while ((finished = await RunAsync(database, runId)).Status == ReevaluationStatus.Running)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60),
                $"The run was not finished by the other instance: {finished.Done} of {finished.Total} done.\n{survivor.Output}");
            await Task.Delay(100);
        }
        log.WriteLine($"finished by the other instance {waited.Elapsed.TotalSeconds:0.0} s after the kill");

        // The counters add up: every draft counted once, all changed, none skipped (a skip is a draft written by someone else meanwhile).
        Assert.Equal(ReevaluationStatus.Done, finished.Status);
        Assert.Equal(Drafts, finished.Total);
        Assert.Equal(Drafts, finished.Done);
        Assert.Equal(Drafts, finished.Changed);
        Assert.Equal(0, finished.Skipped);
        Assert.Equal(0, finished.Failed);
        Assert.True(finished.Done > doneWhenKilled);

        // Nothing written twice: each draft is at version 2 (saved, then re-evaluated once) with one audit entry of the run.
        var versions = await RowsAsync(database, "select id, version from invoices where id = any(@drafts)", r => (r.GetInt32(0), r.GetInt32(1)), ("drafts", drafts));
        Assert.Equal(Drafts, versions.Count);
        Assert.All(versions, v => Assert.Equal(2, v.Item2));
        var entries = await RowsAsync(database, "select entity_id, count(*) from audit where actor = @actor and entity_type = @type group by entity_id",
            r => (r.GetString(0), r.GetInt64(1)), ("actor", Smart.Web.Reevaluation.ReevaluateDocuments.Actor.Name), ("type", AuditedEntity.Invoice));
        Assert.Equal(drafts.Select(id => id.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), entries.Select(e => e.Item1).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(1L, e.Item2));
        // Nothing lost: every draft carries an evaluation made with the new version.
        var evaluated = await RowsAsync(database, "select count(*) from invoice_evaluations where invoice_id = any(@drafts) and evaluation::text like @version",
            r => r.GetInt64(0), ("drafts", drafts), ("version", $"%\"{NewVersion}\"%"));
        Assert.Equal(Drafts, Assert.Single(evaluated));
    }

    /// <summary>
    /// The process ids of the instances whose workers are running a re-evaluation job, from the job's Processing state in Hangfire's tables
    /// (its server id is <c>machine:pid:guid</c>).
    /// </summary>
    private static async Task<List<int>> RunningJobProcessesAsync(string database) =>
        (await RowsAsync(database,
            """
            select s.data::text from hangfire.job j join hangfire.state s on s.id = j.stateid
            where j.statename = 'Processing' and j.invocationdata::text like '%ReevaluationJob%'
            """, r => r.GetString(0)))
        .Select(data => JsonDocument.Parse(data).RootElement.GetProperty("ServerId").GetString()!.Split(':')[^2])
        .Select(pid => int.Parse(pid, CultureInfo.InvariantCulture)).Distinct().ToList();

    private static async Task<ReevaluationRun> RunAsync(string database, int id) => Smart.Web.Storage.PostgreSql.PostgreSqlJson.Read<ReevaluationRun>(
        Assert.Single(await RowsAsync(database, "select document::text from reevaluation_runs where id = @id", r => r.GetString(0), ("id", id))));

    private static async Task<List<T>> RowsAsync<T>(string database, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>
    /// The drafts, through an instance of the app that is stopped before the one to be killed starts (so no other instance takes the run): one
    /// through the form, the others saved by the store as copies of it; then a new version of the Belgian VAT published, which changes every draft's evaluation.
    /// </summary>
    private static async Task<int[]> SeedAsync(string database)
    {
        using var app = SmartWebFactory.OnPostgreSql(database);
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>()
            .SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var first = await InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop", ("Design", "service", "1", "100"));
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        var template = (await invoices.GetAsync(first))!;
        Assert.NotNull(template.Evaluation);
        // The copies in one statement (a store insert each takes minutes on a loaded machine): the same row and evaluation under new ids.
        var copies = await RowsAsync(database,
            """
            with copies as (
                insert into invoices (country, version, status, number, date, due_date, production_unit_id, client_id, total, credit_note_for_id, document)
                select country, version, status, number, date, due_date, production_unit_id, client_id, total, credit_note_for_id, document
                from invoices, generate_series(2, @drafts) where id = @first
                returning id),
            evaluations as (
                insert into invoice_evaluations (invoice_id, evaluation)
                select c.id, e.evaluation from copies c, invoice_evaluations e where e.invoice_id = @first)
            select id from copies order by id
            """, r => r.GetInt32(0), ("drafts", Drafts), ("first", first));
        Assert.Equal(Drafts - 1, copies.Count);
        var stored = (await invoices.GetAsync(copies[^1]))!;
        Assert.Equal((InvoiceStatus.Draft, 1, template.Evaluation!.Totals), (stored.Status, stored.Version, stored.Evaluation!.Totals));

        const string key = "be/vat.json";
        var rules = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await rules.InForceAsync(key))!;
        var compliance = new AuditActor("compliance@smart.coop");
        var draft = await rules.AddDraftAsync(key, inForce.Country, inForce.Topic, inForce.Text.Replace("\"version\": \"2026.4\"", $"\"version\": \"{NewVersion}\""),
            inForce.Id, compliance);
        Assert.True((await rules.SubmitAsync(draft.Id, "kill test", compliance)).Updated);
        Assert.True((await rules.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"))).Updated);
        return [first, .. copies];
    }

    /// <summary>The app as an OS process on a free port, in server mode on a database, its output kept for a failure's message.</summary>
    private sealed class AppProcess : IDisposable
    {
        /// <summary>Small batches: the run commits often, so the kill falls between batches and inside one alike.</summary>
        public const int BatchSize = 40;

        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly string dataDirectory;

        private AppProcess(Process process, Uri address, string dataDirectory) => (this.process, Address, this.dataDirectory) = (process, address, dataDirectory);

        public Uri Address { get; }

        public int Id => process.Id;

        public string Output
        {
            get
            {
                lock (output) return output.Length > 4000 ? output.ToString(output.Length - 4000, 4000) : output.ToString();
            }
        }

        public static AppProcess Start(string database)
        {
            var build = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var project = Path.Combine(Repo.Root, "Smart.Web");
            var dll = Path.Combine(project, "bin", build.Parent!.Name, build.Name, "Smart.Web.dll");
            Assert.True(File.Exists(dll), $"The app is not built at {dll}.");
            var address = new Uri($"http://127.0.0.1:{FreePort()}");
            var dataDirectory = SmartWebFactory.NewDataDirectory();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = project,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // As the tests' in-process instances run: Development (plain HTTP cookies), no demo documents, no prepared drafts.
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development", ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
                ["Smart__Storage"] = "PostgreSql", ["ConnectionStrings__Smart"] = database,
                ["Smart__DataDirectory"] = dataDirectory, ["Smart__RulesDirectory"] = Path.Combine(Repo.Root, "rules"),
                ["Smart__PluginsDirectory"] = Path.Combine(Repo.Root, "artifacts", "plugins"),
                ["Smart__RuleDraftsDirectory"] = Path.Combine(dataDirectory, "no-prepared-drafts"),
                [DocumentDemoSeed.Setting.Replace(":", "__", StringComparison.Ordinal)] = "false",
                ["Smart__Reevaluation__BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
                // Each instance looks for runs nobody holds every second, not every ten: the test need not wait for the default.
                ["Smart__Reevaluation__OrphanScan"] = "00:00:01",
            };
            foreach (var (key, value) in SmartWebFactory.TestRateLimits) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            foreach (var (key, value) in environment) start.Environment[key] = value;
            var process = Process.Start(start)!;
            var app = new AppProcess(process, address, dataDirectory);
            process.OutputDataReceived += (_, line) => app.Keep(line.Data);
            process.ErrorDataReceived += (_, line) => app.Keep(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return app;
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
        }

        public async Task WaitUntilHealthyAsync()
        {
            using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, $"The app exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Output}");
                try
                {
                    if ((await client.GetAsync(StorageHealth.Path)).StatusCode == HttpStatusCode.OK) return;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Still starting.
                }
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"The app did not answer {StorageHealth.Path}:\n{Output}");
                await Task.Delay(200);
            }
        }

        public async Task<Browser> SignedInAsync(string email)
        {
            var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
            var browser = new Browser(new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) });
            var response = await browser.SignInAsync(email, AccountDemoSeed.DemoPassword);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} answered {(int)response.StatusCode}.");
            return browser;
        }

        /// <summary>SIGKILL: the process gets no chance to stop its jobs, release its locks or close its connections.</summary>
        public void Kill()
        {
            process.Kill();
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited) Kill();
            process.Dispose();
            SmartWebFactory.DeleteQuietly(dataDirectory);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
