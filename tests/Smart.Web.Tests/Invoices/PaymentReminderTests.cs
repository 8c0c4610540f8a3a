using System.Globalization;
using System.Net;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Jobs;
using Smart.Web.Reminders;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>The reminder job's handler, its run records and its dashboard, on the real app and a real LiteDB file.</summary>
public sealed class PaymentReminderTests
{
    private static readonly DateOnly InvoiceDate = new(2025, 6, 16);
    // After 1 July 2025, when the Belgian rate changed: the interest must be the due date's rate, not the invoice date's.
    private static readonly DateOnly DueDate = new(2025, 7, 16);

    /// <summary>A parameter's value in force on a day, read from the rule file itself.</summary>
    private static JsonElement Parameter(string country, string topic, string name, DateOnly day)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", country, topic + ".json")));
        var iso = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return file.RootElement.GetProperty("parameters").GetProperty(name).GetProperty("values").EnumerateArray()
            .Where(v => string.CompareOrdinal(v.GetProperty("from").GetString(), iso) <= 0)
            .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal).Last().GetProperty("value").Clone();
    }

    private static int[] ReminderDays => Parameter("be", "late-payment", "ReminderDays", DueDate).EnumerateArray().Select(d => d.GetInt32()).ToArray();

    /// <summary>A Belgian invoice to a business client, saved and issued through the pages with its due date.</summary>
    private static async Task<Invoice> IssuedBelgianInvoiceAsync(SmartWebFactory app)
    {
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>()
            .SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var saved = await staff.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Issuer", "smartcoop"),
            ("Data.Date", InvoiceDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("Data.DueDate", DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", "1000"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var id = int.Parse(saved.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        var issued = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var invoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        return invoice;
    }

    private static async Task<SendPaymentReminders.Result> RunAsync(SmartWebFactory app, DateOnly today)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SendPaymentReminders.Command(today));
    }

    private static Task<IReadOnlyList<PaymentReminder>> RemindersOf(SmartWebFactory app, Invoice invoice) =>
        app.Services.GetRequiredService<IReminderStore>().ForInvoiceAsync(invoice.Id);

    [Fact]
    public async Task Running_the_reminders_twice_records_each_step_once_with_the_flat_compensation_and_the_due_dates_rate()
    {
        using var app = new SmartWebFactory();
        var invoice = await IssuedBelgianInvoiceAsync(app);
        var today = DueDate.AddDays(ReminderDays[1] + 5);

        var first = await RunAsync(app, today);
        var second = await RunAsync(app, today);

        Assert.Equal(2, first.Sent);
        Assert.Equal(0, second.Sent);
        var reminders = await RemindersOf(app, invoice);
        Assert.Equal([1, 2], reminders.Select(r => r.Step));
        var rate = Parameter("be", "late-payment", "StatutoryInterestRate", DueDate).GetDecimal();
        Assert.NotEqual(Parameter("be", "late-payment", "StatutoryInterestRate", InvoiceDate).GetDecimal(), rate);
        var gross = invoice.Evaluation!.Totals.Gross;
        var daysLate = ReminderDays[1] + 5;
        Assert.All(reminders, r =>
        {
            Assert.Equal(rate, r.InterestRate);
            Assert.Equal(daysLate, r.DaysLate);
            Assert.Equal(gross, r.Outstanding);
            Assert.Equal(Math.Round(gross * rate * daysLate / 365m, 2, MidpointRounding.AwayFromZero), r.Interest);
        });
        Assert.Equal(Parameter("be", "late-payment", "FlatCompensation", DueDate).GetDecimal(), reminders[0].FlatCompensation);
        Assert.Equal(40m, reminders[0].FlatCompensation);
        Assert.Equal(0m, reminders[1].FlatCompensation);

        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync("/Invoices/Reminders");
        Assert.Equal(2, page.QuerySelectorAll($"#reminders tr[data-invoice='{invoice.Id}']").Length);
        using var french = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Null((await french.GetPageAsync("/Invoices/Reminders")).QuerySelector($"#reminders tr[data-invoice='{invoice.Id}']"));
    }

    [Fact]
    public async Task A_restart_between_runs_still_gives_each_reminder_once_and_queues_the_unfinished_run_again()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            Invoice invoice;
            var firstDay = DueDate.AddDays(ReminderDays[0]);
            var secondDay = DueDate.AddDays(ReminderDays[1]);
            using (var before = SmartWebFactory.OnDataDirectory(data))
            {
                invoice = await IssuedBelgianInvoiceAsync(before);
                Assert.Equal(1, (await RunAsync(before, firstDay)).Sent);
                // The second day's run was asked for, then the app stopped before its job ran.
                await before.Services.GetRequiredService<IReminderStore>().BeginRunAsync(secondDay);
            }

            using var after = SmartWebFactory.OnDataDirectory(data);
            var runs = after.Services.GetRequiredService<IReminderStore>();
            for (var waited = 0; (await runs.UnfinishedRunsAsync()).Count > 0; waited += 100)
            {
                Assert.True(waited < 30_000, "The unfinished run was not queued again at start-up.");
                await Task.Delay(100);
            }
            Assert.Equal(0, (await RunAsync(after, firstDay)).Sent);
            Assert.Equal(0, (await RunAsync(after, secondDay)).Sent);
            var reminders = await RemindersOf(after, invoice);
            Assert.Equal([1, 2], reminders.Select(r => r.Step));
            Assert.Equal([firstDay, secondDay], reminders.Select(r => r.SentOn));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task The_job_dashboard_refuses_staff_and_lets_an_administrator_in()
    {
        using var app = new SmartWebFactory();
        using var anonymous = Browser.Open(app);
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.Client.GetAsync(JobServices.DashboardPath)).StatusCode);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync(JobServices.DashboardPath)).StatusCode);
        using var admin = await Browser.SignedInAsync(app, "admin@smart.coop");
        var dashboard = await admin.Client.GetAsync(JobServices.DashboardPath + "/recurring");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains(PaymentReminderJob.RecurringJobId, await dashboard.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_home_page_lists_an_overdue_invoice_with_its_days_late_and_only_to_its_country()
    {
        using var app = new SmartWebFactory();
        var invoice = await IssuedBelgianInvoiceAsync(app);
        var today = DateOnly.FromDateTime(DateTime.Now);

        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var row = (await staff.GetPageAsync("/")).QuerySelector($"#overdue-invoices tr[data-invoice='{invoice.Id}']");
        Assert.NotNull(row);
        Assert.Equal((today.DayNumber - DueDate.DayNumber).ToString(CultureInfo.InvariantCulture), row.GetAttribute("data-days-late"));
        using var french = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Null((await french.GetPageAsync("/")).QuerySelector($"#overdue-invoices tr[data-invoice='{invoice.Id}']"));
    }
}
