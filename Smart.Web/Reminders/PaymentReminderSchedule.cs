using Hangfire;
using Smart.Web.Storage;

namespace Smart.Web.Reminders;

/// <summary>At start-up: schedules the daily reminders and queues again every run that was asked for but never finished.</summary>
public sealed class PaymentReminderSchedule(IRecurringJobManager recurring, IBackgroundJobClient jobs, IReminderStore reminders) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<PaymentReminderJob>(PaymentReminderJob.RecurringJobId, job => job.StartTodayAsync(), Cron.Daily(6),
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        foreach (var run in await reminders.UnfinishedRunsAsync(cancellationToken)) PaymentReminderJob.Enqueue(jobs, run.Day);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
