using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Smart.Web.Jobs;
using Smart.Web.Reminders;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Tests.Invoices;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.ServerMode;

/// <summary>
/// Two instances on one PostgreSQL database doing the same work at once: issuing invoices of one country and running the daily reminders.
/// What must hold is decided by the database, not by either instance: one number per issue, one reminder per invoice and step.
/// </summary>
[Trait("Store", "Chosen")]
public sealed class TwoInstanceWorkTests : IDisposable
{
    private readonly string database = PostgreSqlServer.NewDatabase();
    private readonly SmartWebFactory first;
    private readonly SmartWebFactory second;

    public TwoInstanceWorkTests()
    {
        first = SmartWebFactory.OnPostgreSql(database);
        _ = first.Server;
        second = SmartWebFactory.OnPostgreSql(database);
        _ = second.Server;
    }

    public void Dispose()
    {
        second.Dispose();
        first.Dispose();
    }

    private async Task<ProductionUnit> BelgianUnitAsync() => (await first.Services.GetRequiredService<IProductionUnitStore>()
        .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];

    private async Task<Client> BelgianBusinessAsync() => (await first.Services.GetRequiredService<IClientStore>()
        .SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];

    [Fact]
    public async Task Twenty_concurrent_issues_split_over_both_instances_take_the_numbers_one_to_twenty()
    {
        var (unit, client) = (await BelgianUnitAsync(), await BelgianBusinessAsync());
        using var onFirst = await Browser.SignedInAsync(first, "staff@smart.coop");
        using var onSecond = await Browser.SignedInAsync(second, "staff@smart.coop");
        var drafts = new List<int>();
        for (var i = 0; i < 20; i++)
            drafts.Add(await InvoiceForms.CreateDraftAsync(i % 2 == 0 ? onFirst : onSecond, unit, client, "smartcoop", ("Design", "service", "1", "100")));

        // Every issue form rendered first, by the instance that will post it; then the twenty posts at once, ten to each instance.
        var posts = new List<(Browser Browser, IHtmlFormElement Form)>();
        foreach (var (id, i) in drafts.Select((id, i) => (id, i)))
        {
            var browser = i % 2 == 0 ? onFirst : onSecond;
            posts.Add((browser, (await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!));
        }
        var answers = await Task.WhenAll(posts.Select(p => Task.Run(() => p.Browser.SubmitAsync(p.Form))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Redirect, a.StatusCode));
        var invoices = first.Services.GetRequiredService<IInvoiceStore>();
        var issued = await Task.WhenAll(drafts.Select(id => invoices.GetAsync(id)));
        Assert.All(issued, i => Assert.Equal(InvoiceStatus.Issued, i!.Status));
        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"BE-2026-{n:000000}"), issued.Select(i => i!.Number!).Order(StringComparer.Ordinal));
        // Nothing else in the sequence: the counter stands at 20, so the next issue, on either instance, is 21.
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var counter = new NpgsqlCommand("select last from invoice_numbers where sequence = 'BE' and year = 2026", connection);
        Assert.Equal(20, (int)(await counter.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_daily_reminders_started_on_both_instances_at_once_record_each_invoice_and_step_once()
    {
        var (unit, client) = (await BelgianUnitAsync(), await BelgianBusinessAsync());
        using var staff = await Browser.SignedInAsync(first, "staff@smart.coop");
        var overdue = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
            var saved = await staff.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Issuer", "smartcoop"),
                ("Data.Date", "2025-06-16"), ("Data.DueDate", DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", "1000"));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var id = int.Parse(saved.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
            Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
            overdue.Add(id);
        }
        var today = DateOnly.FromDateTime(TimeProvider.System.GetLocalNow().DateTime);
        var steps = ReminderDays.Count(days => today.DayNumber - DueDate.DayNumber >= days);
        Assert.True(steps >= 2, "The invoices are late enough for several reminder steps.");

        // The recurring job triggered on both instances (each scheduler queues the day's run, each instance's workers may take one), and
        // the day's run sent by each instance's job twice more at the same moment: six runs of one day.
        foreach (var app in new[] { first, second }) app.Services.GetRequiredService<IRecurringJobManager>().Trigger(PaymentReminderJob.RecurringJobId);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var scope = (i % 2 == 0 ? first : second).Services.CreateScope();
            var job = scope.ServiceProvider.GetRequiredService<PaymentReminderJob>();
            await job.RunAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CancellationToken.None);
        })));
        var monitoring = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var waited = 0; SucceededRuns(monitoring) < 2; waited += 200)
        {
            Assert.True(waited < 45_000, $"The two triggered runs did not both finish ({SucceededRuns(monitoring)} did).");
            await Task.Delay(200);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select invoice_id, step, count(*) from reminders group by invoice_id, step order by invoice_id, step", connection);
        var recorded = new List<(int, int, long)>();
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) recorded.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2)));
        Assert.Equal(overdue.SelectMany(id => Enumerable.Range(1, steps).Select(step => (id, step, 1L))), recorded);
        Assert.Empty(await first.Services.GetRequiredService<IReminderStore>().UnfinishedRunsAsync());
    }

    private static readonly DateOnly DueDate = new(2025, 7, 16);

    private static int[] ReminderDays
    {
        get
        {
            using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", "be", "late-payment.json")));
            return file.RootElement.GetProperty("parameters").GetProperty("ReminderDays").GetProperty("values").EnumerateArray()
                .Where(v => string.CompareOrdinal(v.GetProperty("from").GetString(), "2025-07-16") <= 0)
                .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal).Last().GetProperty("value").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        }
    }

    /// <summary>The day's reminder runs that Hangfire finished (the jobs the triggers queued), from the storage both instances share.</summary>
    private static int SucceededRuns(Hangfire.Storage.IMonitoringApi monitoring) => monitoring.SucceededJobs(0, 1000)
        .Count(j => j.Value.Job?.Type == typeof(PaymentReminderJob) && j.Value.Job.Method.Name == nameof(PaymentReminderJob.RunAsync));
}
