using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using System.Net;
using AngleSharp.Html.Dom;
using Smart.Web.Corrections;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.MoveUp;
using Smart.Web.Tests.Corrections;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.ServerMode;

/// <summary>
/// One LiteDB data directory with the demo directory and documents, made once and closed: what each test moves into a new PostgreSQL
/// database, and what its pages showed before the move.
/// </summary>
public sealed class MovedStore : IDisposable
{
    public MovedStore()
    {
        using var app = SmartWebFactory.OnDataDirectory(DataDirectory, SmartWebFactory.DemoDocuments);
        using var staff = Browser.Open(app);
        var signIn = staff.SignInAsync("staff@smart.coop", AccountDemoSeed.DemoPassword).GetAwaiter().GetResult();
        SignInCookies = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        InvoiceListTotal = staff.GetPageAsync("/Invoices").GetAwaiter().GetResult().QuerySelector("#total")!.TextContent.Trim();
        var members = app.Services.GetRequiredService<IMemberStore>();
        Member = members.SearchAsync(new MemberQuery(CountryScope.All) { Take = 1, Skip = 3 }).GetAwaiter().GetResult().Rows.Single();
        var invoices = app.Services.GetRequiredService<IInvoiceStore>().ExportAsync(new InvoiceQuery(CountryScope.Only("BE")))
            .ToBlockingEnumerable().ToList();
        Issued = invoices.First(i => !i.IsCreditNote && i.Number is not null && i.Evaluation is not null);
        // The highest number of the year's Belgian sequence, read from the invoices themselves.
        LastNumber = invoices.Where(i => !i.IsCreditNote && i.Number is not null && i.Date.Year == Issued.Date.Year)
            .Max(i => int.Parse(i.Number![^6..], CultureInfo.InvariantCulture));
        InvoiceCount = invoices.Count;
    }

    public string DataDirectory { get; } = SmartWebFactory.NewDataDirectory();
    public string InvoiceListTotal { get; }
    /// <summary>The cookies of a staff sign-in on the LiteDB app, protected by the data directory's key ring.</summary>
    public string SignInCookies { get; }
    public Member Member { get; }
    public Invoice Issued { get; }
    public int LastNumber { get; }
    public int InvoiceCount { get; }

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string connectionString, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", DataDirectory, "--to", connectionString, .. extra], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose() => SmartWebFactory.DeleteQuietly(DataDirectory);
}

/// <summary>Moving up: a LiteDB store copied into an empty PostgreSQL database by the documented command, and the app on it.</summary>
[Trait("Store", "Chosen")]
public sealed class MoveUpTests(MovedStore store) : IClassFixture<MovedStore>
{
    [Fact]
    public async Task The_moved_store_shows_the_same_pages_signs_in_with_the_same_password_and_continues_the_invoice_numbers()
    {
        var database = PostgreSqlServer.NewDatabase();
        var (exit, output, error) = await store.RunAsync(database);
        Assert.True(exit == 0, error + output);
        Assert.Contains("Both sides agree", output);
        Assert.DoesNotContain("DIFFERENT", output);

        // No outbox run on the server mode: the comparison below expects both sides as the move left them.
        using var app = SmartWebFactory.OnPostgreSql(database, SmartWebFactory.NoDelivery);
        // The demo account's password hash moved: the same password signs in on the server mode.
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        Assert.Equal(store.InvoiceListTotal, (await staff.GetPageAsync("/Invoices")).QuerySelector("#total")!.TextContent.Trim());
        var member = await staff.GetPageAsync($"/Members/Details/{store.Member.Id}");
        Assert.Contains(store.Member.LastName, member.Body!.TextContent);
        Assert.Contains(store.Member.FirstName, member.Body!.TextContent);
        var invoice = await staff.GetPageAsync($"/Invoices/Details/{store.Issued.Id}");
        Assert.Contains(store.Issued.Number!, invoice.Body!.TextContent);
        // The start-up's demo seeds found the moved directory and added nothing: both sides still agree.
        Assert.Equal(store.InvoiceCount,
            (await app.Services.GetRequiredService<IInvoiceStore>().SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Take = 0 })).Total);
        Assert.Equal(0, (await store.RunAsync(database, "--compare-only")).ExitCode);

        // The key ring moved too: a cookie the LiteDB app signed before the move still opens a page; without it, the sign-in page.
        using var cookieOnly = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/Members");
        withCookie.Headers.Add("Cookie", store.SignInCookies);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await cookieOnly.SendAsync(withCookie)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await cookieOnly.GetAsync("/Members")).StatusCode);

        // The next Belgian number of the year follows the last one LiteDB gave: gap-free across the move.
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        var actor = new AuditActor("staff@smart.coop");
        var draft = await invoices.AddDraftAsync(store.Issued with { Id = 0, Version = 0, Payments = [], Credits = [], Refunds = [], CreditedById = null, WriteOff = null }, actor);
        Assert.NotEqual(store.Issued.Id, draft.Id);
        var issued = await invoices.IssueAsync(draft.Id, draft.Version, store.Issued.Evaluation!, actor);
        Assert.True(issued.Updated);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"BE-{store.Issued.Date.Year}-{store.LastNumber + 1:000000}"), issued.Current!.Number);
    }

    [Fact]
    public async Task The_comparison_fails_when_one_amount_differs_after_the_move()
    {
        var database = PostgreSqlServer.NewDatabase();
        Assert.Equal(0, (await store.RunAsync(database)).ExitCode);
        Assert.Equal(0, (await store.RunAsync(database, "--compare-only")).ExitCode);

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var change = new NpgsqlCommand("update invoices set total = total + 0.01 where id = @id", connection);
            change.Parameters.AddWithValue("id", store.Issued.Id);
            Assert.Equal(1, await change.ExecuteNonQueryAsync());
        }
        var (exit, output, error) = await store.RunAsync(database, "--compare-only");

        Assert.Equal(1, exit);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("DIFFERENT"));
        Assert.StartsWith("invoices", line);
        Assert.Contains($"BE      {store.Issued.Date.Year}", line);
        Assert.Contains("differ", error);
    }

    [Fact]
    public async Task A_database_the_app_already_wrote_to_is_refused_and_left_as_it_was()
    {
        var database = PostgreSqlServer.NewDatabase();
        using (var app = SmartWebFactory.OnPostgreSql(database)) _ = app.Server;
        var before = await CountAsync(database, "members");
        Assert.True(before > 0);

        var (exit, _, error) = await store.RunAsync(database);

        Assert.Equal(2, exit);
        Assert.Contains("not empty", error);
        Assert.Equal(before, await CountAsync(database, "members"));
        Assert.Equal(0, await CountAsync(database, "invoices"));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_the_usage_and_no_connection()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(2, await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", store.DataDirectory], output, error));
        Assert.Contains("usage", error.ToString());
        Assert.Equal(2, await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", SmartWebFactory.NewDataDirectory(), "--to", PostgreSqlServer.NewDatabase()], output, error));
        Assert.Contains("No store", error.ToString());
    }

    [Fact]
    public async Task A_store_with_a_collection_this_version_cannot_move_is_refused_before_anything_is_copied()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var file = new LiteDbFile(data))
            {
                file.Database.GetCollection("members").Insert(new LiteDB.BsonDocument { ["FirstName"] = "Ann" });
                file.Database.GetCollection("timesheets").Insert(new LiteDB.BsonDocument { ["Hours"] = 7 });
            }
            var database = PostgreSqlServer.NewDatabase();
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exit = await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", data, "--to", database], output, error);

            Assert.Equal(2, exit);
            Assert.Contains("timesheets", error.ToString());
            Assert.Equal(0, await CountAsync(database, "members"));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>Every figure a page shows (its elements' data-value), with where it is: the same page after the move shows the same list.</summary>
    private static string[] Figures(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("[data-value], #corrections [data-field]").Select(e =>
            $"{e.ParentElement?.GetAttribute("data-member")}/{e.ParentElement?.GetAttribute("data-invoice")}/{e.GetAttribute("data-field")}={e.GetAttribute("data-value") ?? e.TextContent.Trim()}")];

    [Fact]
    public async Task A_finished_correction_run_moves_with_its_statements_and_corrective_documents_and_its_pages_show_the_same_figures()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            CorrectionRunTests.Scenario scenario;
            int runId;
            string[] runFigures, statementFigures;
            CorrectiveDocuments correction;
            using (var before = SmartWebFactory.OnDataDirectory(data, SmartWebFactory.NoDelivery))
            {
                // The correction runs' own set-up: a since-issue comparison, a run proposed from it, accepted, finished.
                scenario = await CorrectionRunTests.ScenarioAsync(before);
                using var officer = await Browser.SignedInAsync(before, "compliance@smart.coop");
                runId = await CorrectionRunTests.ProposeAsync(officer, scenario.ComparisonId);
                using var approver = await Browser.SignedInAsync(before, "approver@smart.coop");
                Assert.Equal(HttpStatusCode.Redirect,
                    (await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Corrections/{runId}")).Forms["review-form"]!, ("Data.Accept", "true"))).StatusCode);
                Assert.Equal("Done", (await CorrectionRunTests.FinishedAsync(officer, runId)).GetProperty("status").GetString());
                var runPage = await officer.GetPageAsync($"/Rules/Corrections/{runId}");
                Assert.Equal(-23.25m, CorrectionRunTests.Value(runPage, $"#statements tr[data-member='{scenario.First}'][data-year='2025'] [data-field=withholding-difference]"));
                runFigures = Figures(runPage);
                statementFigures = Figures(await officer.GetPageAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025"));
                correction = Assert.Single(await before.Services.GetRequiredService<ICorrectionStore>().CorrectionsAsync(runId));
            }
            // Both statements' six figures and the corrective pair's three cells; the statement's lines and totals.
            Assert.Equal(2 * 6 + 3, runFigures.Length);
            Assert.Contains(runFigures, f => f.StartsWith($"/{scenario.Service}/credit-note=BE-CN-", StringComparison.Ordinal));
            Assert.True(statementFigures.Length >= 2 * 6 + 6, string.Join(" ", statementFigures));

            var database = PostgreSqlServer.NewDatabase();
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", data, "--to", database], output, error);
            Assert.True(exit == 0, error.ToString() + output);
            // The comparison has the runs, their statements per country and year (with the sums of their differences) and their corrective pairs.
            var lines = output.ToString().Split('\n');
            Assert.Single(lines, l => l.StartsWith("correction runs", StringComparison.Ordinal) && l.Contains("BE      Done", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));
            var statements = Assert.Single(lines, l => l.StartsWith("regularisation statements", StringComparison.Ordinal) && l.Contains("BE      2025", StringComparison.Ordinal));
            Assert.Contains("-23.25", statements);
            Assert.EndsWith(" ok", statements);
            Assert.Single(lines, l => l.StartsWith("corrective documents", StringComparison.Ordinal) && l.Contains("BE      Done", StringComparison.Ordinal) && l.EndsWith(" ok", StringComparison.Ordinal));

            using (var after = SmartWebFactory.OnPostgreSql(database, SmartWebFactory.NoDelivery))
            {
                var runs = after.Services.GetRequiredService<ICorrectionStore>();
                Assert.IsType<PostgreSqlCorrectionStore>(runs);
                using var officer = await Browser.SignedInAsync(after, "compliance@smart.coop");
                var run = await officer.GetPageAsync($"/Rules/Corrections/{runId}");
                Assert.Equal(runFigures, Figures(run));
                Assert.Equal(-23.25m, CorrectionRunTests.Value(run, $"#statements tr[data-member='{scenario.First}'][data-year='2025'] [data-field=withholding-difference]"));
                var statement = await officer.GetPageAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025");
                Assert.Equal(statementFigures, Figures(statement));
                var pdf = await officer.Client.GetAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025?handler=Pdf&language=fr");
                Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
                Assert.Equal(correction, await runs.CorrectionAsync(runId, scenario.Service));
                using (var staff = await Browser.SignedInAsync(after, "staff@smart.coop"))
                {
                    var year = await staff.GetPageAsync($"/Members/{scenario.First}/Year/2025");
                    Assert.Equal($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025", year.QuerySelector($"#statements li[data-run='{runId}'] a")!.GetAttribute("href"));
                }
                // The runs' identity continues after the moved ids.
                var next = await runs.AddAsync((await runs.GetAsync(runId))! with { Id = 0, Status = CorrectionStatus.Proposed });
                Assert.Equal(runId + 1, next.Id);
            }

            // A statement's line changed after the move: its country and year differ in the comparison, the rest agrees.
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var change = new NpgsqlCommand(
                    """
                    update regularisation_statements
                    set document = jsonb_set(document, '{Lines,0,Due,Withholding}', to_jsonb((document #>> '{Lines,0,Due,Withholding}')::numeric + 1))
                    where run_id = @run and member_id = @member
                    """, connection);
                change.Parameters.AddWithValue("run", runId);
                change.Parameters.AddWithValue("member", scenario.First);
                Assert.Equal(1, await change.ExecuteNonQueryAsync());
            }
            using var compared = new StringWriter();
            Assert.Equal(1, await MoveUpCommand.RunAsync([MoveUpCommand.Command, "--from", data, "--to", database, "--compare-only"], compared, error));
            // Different: that statement's country and year, and the run added on the server mode only.
            var different = compared.ToString().Split('\n').Where(l => l.Contains("DIFFERENT", StringComparison.Ordinal)).Select(l => l[..43]).ToArray();
            Assert.Equal(["correction runs           BE      Proposed ", "regularisation statements BE      2025     "], different);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    private static async Task<long> CountAsync(string database, string table)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
