using Hangfire;
using MediatR;

namespace Smart.Web.EInvoicing;

/// <summary>The Hangfire side of the outbox: every run only sends the request; the handler hands over and reads the answers.</summary>
public sealed class EInvoiceDeliveryJob(IMediator mediator)
{
    public const string RecurringJobId = "einvoice-delivery";

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public Task RunAsync(CancellationToken cancellationToken) => mediator.Send(new DeliverEInvoices.Command(), cancellationToken);
}

/// <summary>At start-up: schedules the outbox run (<c>Smart:EInvoicing:DeliveryCron</c>, every minute by default).</summary>
public sealed class EInvoiceDeliverySchedule(IRecurringJobManager recurring, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<EInvoiceDeliveryJob>(EInvoiceDeliveryJob.RecurringJobId, job => job.RunAsync(CancellationToken.None),
            configuration["Smart:EInvoicing:DeliveryCron"] is { Length: > 0 } cron ? cron : Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
