using System.Globalization;
using Hangfire;
using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Reminders;

/// <summary>The Hangfire side of the payment reminders: it records the run's intent and sends the request; the handler does the work.</summary>
public sealed class PaymentReminderJob(IMediator mediator, IReminderStore reminders, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string RecurringJobId = "payment-reminders";

    /// <summary>The daily entry: today's run is written down before it is queued, so a restart before it finishes queues it again.</summary>
    public async Task StartTodayAsync()
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        await reminders.BeginRunAsync(today);
        Enqueue(jobs, today);
    }

    public static void Enqueue(IBackgroundJobClient jobs, DateOnly day) =>
        jobs.Enqueue<PaymentReminderJob>(job => job.RunAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), CancellationToken.None));

    /// <summary>One day's run; the day travels as text because Hangfire serialises job arguments as JSON.</summary>
    public async Task RunAsync(string day, CancellationToken cancellationToken)
    {
        var date = DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await mediator.Send(new SendPaymentReminders.Command(date), cancellationToken);
        await reminders.FinishRunAsync(date, cancellationToken);
    }
}
